import test from 'ava';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/run-cli.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

/** The real `mailroom` binary, as a user runs it: argument parsing, exit codes and output streams of main.ts. */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('mailroom rules validate: exit 0 on the shipped rule files', async (t) => {
  const result = await runCli(['rules', 'validate'], { cwd: root });
  t.is(result.code, 0, result.stderr);
  t.regex(result.stdout, /^ok +rules\/default\.json/m);
});

test('mailroom rules validate: exit 2 naming file, rule, pointer and JSONata position', async (t) => {
  const dir = await makeTempDir(t);
  await mkdir(join(dir, 'rules'));
  await writeFile(join(dir, 'rules', 'default.json'), JSON.stringify({ name: 'd', preprocess: [], rules: [{ name: 'broken', when: '$contains(subject, ', action: 'ignore' }] }));
  const result = await runCli(['rules', 'validate', '--json'], { cwd: dir });
  t.is(result.code, 2, result.stderr);
  const report = JSON.parse(result.stdout) as { ok: boolean; files: { file: string; problems: { rule: string; pointer: string; position: number }[] }[] };
  t.false(report.ok);
  t.like(report.files[0], { file: 'rules/default.json' });
  t.like(report.files[0]?.problems[0], { rule: 'broken', pointer: '/rules/0/when' });
  t.is(typeof report.files[0]?.problems[0]?.position, 'number');
});

test('mailroom rules test --json prints text, rule, fields and actions; --expect fails on a changed expectation', async (t) => {
  const ok = await runCli(['rules', 'test', '--json', 'fixtures/rules/default/reply-with-token.eml'], { cwd: root });
  t.is(ok.code, 0, ok.stderr);
  t.like(JSON.parse(ok.stdout), { text: 'It works again, thank you! You can close the ticket.\n\nBob', rule: 'reply-to-ticket', action: 'add-to-ticket', fields: { ticketNumber: 1234 } });

  const dir = await makeTempDir(t);
  await mkdir(join(dir, 'rules'));
  await copyFile(join(root, 'rules', 'default.json'), join(dir, 'rules', 'default.json'));
  await copyFile(join(root, 'fixtures/rules/default/reply-with-token.eml'), join(dir, 'reply.eml'));
  const expected = JSON.parse(await readFile(join(root, 'fixtures/rules/default/reply-with-token.expected.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'reply.expected.json'), JSON.stringify(expected));
  t.is((await runCli(['rules', 'test', '--expect', 'reply.eml'], { cwd: dir })).code, 0);
  await writeFile(join(dir, 'reply.expected.json'), JSON.stringify({ ...expected, action: 'create-ticket' }));
  const changed = await runCli(['rules', 'test', '--expect', 'reply.eml'], { cwd: dir });
  t.is(changed.code, 1);
  t.regex(changed.stdout, /action: expected "create-ticket", got "add-to-ticket"/);
});
