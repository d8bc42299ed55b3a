import test from 'ava';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRulesCommand } from './helpers/run-rules-command.ts';

/** The shipped example suites under fixtures/rules (see its README): every expectation must hold. */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const suites = [
  { folder: 'fixtures/rules/default', args: [] },
  { folder: 'fixtures/rules/known-thread', args: ['--known-thread'] },
  { folder: 'fixtures/rules/examples', args: ['--rules', 'rules/examples.json'] },
];
const update = process.env.MAILROOM_UPDATE_GOLDEN === '1';

async function emlFiles(folder: string): Promise<string[]> {
  return (await readdir(join(root, folder))).filter((f) => f.endsWith('.eml')).sort().map((f) => `${folder}/${f}`);
}

/** Re-records the keys each expectation already pins (MAILROOM_UPDATE_GOLDEN=1); review the diff like code. */
async function record(files: string[], args: string[]): Promise<void> {
  const { stdout } = await runRulesCommand(['rules', 'test', '--json', ...args, ...files], root);
  for (const line of stdout.trim().split('\n')) {
    const result = JSON.parse(line) as Record<string, unknown> & { file: string };
    const path = join(root, result.file.replace(/\.eml$/, '.expected.json'));
    const old = JSON.parse(await readFile(path, 'utf8').catch(() => '{"text":0,"rule":0,"action":0,"objectType":0,"fields":0,"postActions":0}')) as Record<string, unknown>;
    const next = Object.fromEntries(Object.keys(old).filter((k) => k.startsWith('$') || result[k] !== undefined).map((k) => [k, k.startsWith('$') ? old[k] : result[k]]));
    await writeFile(path, `${JSON.stringify(next, null, 2)}\n`);
  }
}

for (const suite of suites) {
  test(`${suite.folder}: every message matches its expectation`, async (t) => {
    const files = await emlFiles(suite.folder);
    t.true(files.length > 0);
    if (update) await record(files, suite.args);
    const result = await runRulesCommand(['rules', 'test', '--expect', '--json', ...suite.args, ...files], root);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; expectation: { ok: boolean; differences: unknown[] } });
    t.deepEqual(lines.map((l) => l.file), files);
    for (const line of lines) t.true(line.expectation.ok, `${line.file}: ${JSON.stringify(line.expectation.differences)}`);
    t.is(result.code, 0, result.stderr);
  });
}
