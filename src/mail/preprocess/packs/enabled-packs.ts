import { clientPackNames, languagePackNames, packNames, type ClientPack, type LanguagePack, type PackName } from './pack-catalog.ts';

/** The packs a step may use, in the rule file's order. */
export interface EnabledPacks {
  readonly order: readonly PackName[];
  readonly clients: ReadonlySet<ClientPack>;
  readonly languages: ReadonlySet<LanguagePack>;
}

const resolved = new Map<string, EnabledPacks>();

/**
 * `undefined` (a caller that does not know about packs, `--preprocess all`, the benchmark) means every pack.
 * One object per list, so the per-pack caches of the steps hit.
 */
export function resolveEnabledPacks(names: readonly string[] | undefined): EnabledPacks {
  const key = names === undefined ? '*' : names.join(',');
  let packs = resolved.get(key);
  if (packs === undefined) resolved.set(key, (packs = buildEnabledPacks(names)));
  return packs;
}

function buildEnabledPacks(names: readonly string[] | undefined): EnabledPacks {
  const order = (names ?? packNames).filter((name): name is PackName => (packNames as readonly string[]).includes(name));
  return {
    order,
    clients: new Set(order.filter((name): name is ClientPack => (clientPackNames as readonly string[]).includes(name))),
    languages: new Set(order.filter((name): name is LanguagePack => (languagePackNames as readonly string[]).includes(name))),
  };
}



export const allPacks: EnabledPacks = resolveEnabledPacks(undefined);

const filtered = new WeakMap<readonly object[], WeakMap<EnabledPacks, readonly object[]>>();

/**
 * Keeps the entries whose language pack (and client pack, when they name one) is enabled, in pack order.
 * Cached per list and pack set: steps ask for every line.
 */
export function forEnabledPacks<T extends { language: LanguagePack; client?: ClientPack }>(entries: readonly T[], packs: EnabledPacks): readonly T[] {
  let byPacks = filtered.get(entries);
  if (byPacks === undefined) filtered.set(entries, (byPacks = new WeakMap()));
  const cached = byPacks.get(packs);
  if (cached !== undefined) return cached as readonly T[];
  const rank = (entry: T): number => packs.order.indexOf(entry.language);
  const result = entries.filter((entry) => packs.languages.has(entry.language) && (entry.client === undefined || packs.clients.has(entry.client))).sort((a, b) => rank(a) - rank(b));
  byPacks.set(packs, result);
  return result;
}
