import test from 'ava';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from '../rules/helpers/temp-dir.ts';
import { runRulesCommand } from '../rules/helpers/run-rules-command.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface PacksJson {
  file: string;
  packs: { name: string; kind: string; enabled: boolean; position: number | null; recognises: string[] }[];
}

test('rules packs --json: every client and language pack, in the default rule set\'s order, with what the demo turns on', async (t) => {
  const result = await runRulesCommand(['rules', 'packs', '--json'], root);
  t.is(result.code, 0, result.stderr);
  const { file, packs } = JSON.parse(result.stdout) as PacksJson;
  t.is(file, 'rules/default.json');
  const names = packs.map((p) => p.name);
  for (const name of ['outlook-desktop', 'outlook-web', 'outlook-mobile', 'gmail', 'apple-mail', 'thunderbird', 'en', 'de', 'fr', 'es', 'it', 'nl', 'pt']) t.true(names.includes(name), name);
  t.deepEqual(packs.filter((p) => p.enabled).map((p) => p.name), ['outlook-desktop', 'outlook-web', 'outlook-mobile', 'gmail', 'apple-mail', 'en', 'de', 'fr']);
  t.deepEqual(packs.map((p) => p.position), packs.map((_, i) => i + 1), 'the default rule set lists every pack');
});

test('rules packs: a rule set that orders and enables packs shows them so; a new one without a list has every pack off', async (t) => {
  const dir = await makeTempDir(t);
  await mkdir(join(dir, 'rules'));
  const ordered = { name: 'ordered', preprocess: [{ step: 'remove-quoted-reply' }], packs: [{ pack: 'nl' }, { pack: 'thunderbird', enabled: false }, { pack: 'gmail' }], rules: [{ name: 'all', action: 'create-ticket' }] };
  await writeFile(join(dir, 'rules/ordered.json'), JSON.stringify(ordered));
  await writeFile(join(dir, 'rules/new.json'), JSON.stringify({ name: 'new', preprocess: [], rules: [] }));

  const text = await runRulesCommand(['rules', 'packs', '--rules', 'rules/ordered.json'], dir);
  t.is(text.code, 0, text.stderr);
  const lines = text.stdout.split('\n');
  const header = lines.findIndex((line) => line.startsWith('#'));
  t.regex(lines[header + 1] ?? '', /^1\s+nl\s+language\s+on\s+Dutch/);
  t.regex(lines[header + 2] ?? '', /^2\s+thunderbird\s+client\s+off/);
  t.regex(lines[header + 3] ?? '', /^3\s+gmail\s+client\s+on/);
  t.regex(lines[header + 4] ?? '', /^-\s+\S+\s+\S+\s+off/, 'unlisted packs follow, off');

  const fresh = JSON.parse((await runRulesCommand(['rules', 'packs', '--rules', 'rules/new.json', '--json'], dir)).stdout) as PacksJson;
  t.true(fresh.packs.every((p) => !p.enabled && p.position === null));
});

test('rules packs: an unknown pack in the rule file is a rule file problem (exit 2) naming the place', async (t) => {
  const dir = await makeTempDir(t);
  await writeFile(join(dir, 'bad.json'), JSON.stringify({ name: 'bad', preprocess: [], packs: [{ pack: 'outlook' }], rules: [] }));
  const result = await runRulesCommand(['rules', 'packs', '--rules', 'bad.json'], dir);
  t.is(result.error, 'RULE_INVALID');
  t.is(result.code, 2);
});
