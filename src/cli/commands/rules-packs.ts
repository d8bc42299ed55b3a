import { packCatalog, type PackName } from '../../mail/preprocess/index.ts';
import { loadRuleSet } from '../../rules/index.ts';
import { formatTable } from './format-table.ts';
import type { RulesCliDeps } from './rules-cli-deps.ts';

export interface ListedPack {
  name: PackName;
  kind: 'client' | 'language';
  title: string;
  recognises: string[];
  enabled: boolean;
  /** 1-based place in the rule file's packs list; null when the file does not list it (off). */
  position: number | null;
}

/** The catalog in the rule file's order: the packs it lists first, as listed, then the ones it leaves out (off). */
export async function listPacks(file: string, cwd: string): Promise<ListedPack[]> {
  const ruleSet = await loadRuleSet(file, { cwd });
  const listed = ruleSet.intake?.packs ?? [];
  const byName = new Map(listed.map((entry, index) => [entry.pack, { enabled: entry.enabled, position: index + 1 }]));
  const inFile = listed.map((entry) => packCatalog.find((pack) => pack.name === entry.pack)).filter((pack) => pack !== undefined);
  const rest = packCatalog.filter((pack) => !byName.has(pack.name));
  return [...inFile, ...rest].map((pack) => ({
    name: pack.name,
    kind: pack.kind,
    title: pack.title,
    recognises: [...pack.recognises],
    enabled: byName.get(pack.name)?.enabled ?? false,
    position: byName.get(pack.name)?.position ?? null,
  }));
}

/**
 * `mailroom rules packs [--rules file] [--json]`: the built-in client and language packs, whether the rule file
 * enables each, and in which order. Change them in the file's "packs" list. An invalid rule file throws RULE_INVALID.
 */
export async function runRulesPacks(options: { rules: string; json?: boolean }, deps: RulesCliDeps): Promise<void> {
  const packs = await listPacks(options.rules, deps.cwd);
  if (options.json) {
    deps.stdout(`${JSON.stringify({ file: options.rules, packs }, null, 2)}\n`);
    return;
  }
  deps.stdout(`packs of ${options.rules} (order and "enabled" come from its "packs" list; a pack it does not list is off)\n\n`);
  const rows = packs.map((pack) => [pack.position === null ? '-' : String(pack.position), pack.name, pack.kind, pack.enabled ? 'on' : 'off', pack.title]);
  deps.stdout(formatTable(['#', 'pack', 'kind', 'state', 'what'], rows));
}
