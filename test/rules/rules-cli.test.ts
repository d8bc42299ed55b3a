import test from 'ava';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultStepOrder } from '../../src/mail/preprocess/index.ts';
import { runRulesCommand } from './helpers/run-rules-command.ts';
import { makeTempDir } from './helpers/temp-dir.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = (name: string): string => join(root, 'fixtures', 'rules', name);

const validSet = { name: 'mini', preprocess: [{ step: 'normalize-whitespace' }], rules: [{ name: 'all', action: 'create-ticket', fields: { subject: 'subject' } }] };

/** A project folder with rules/ and a few messages, so the commands run against files the test controls. */
async function makeProject(t: Parameters<typeof makeTempDir>[0], rules: Record<string, unknown>): Promise<string> {
  const dir = await makeTempDir(t);
  await mkdir(join(dir, 'rules'));
  await mkdir(join(dir, 'mail'));
  for (const [name, content] of Object.entries(rules)) {
    await writeFile(join(dir, 'rules', name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  await copyFile(fixture('default/new-request.eml'), join(dir, 'mail', 'new-request.eml'));
  await copyFile(fixture('default/reply-with-token.eml'), join(dir, 'mail', 'reply-with-token.eml'));
  return dir;
}

test('rules validate: the shipped rule files are valid, one summary line each', async (t) => {
  const result = await runRulesCommand(['rules', 'validate'], root);
  t.is(result.code, 0, result.stdout + result.stderr);
  t.regex(result.stdout, /^ok +rules\/default\.json: rule set "default", 6 rules, \d+ expressions/m);
  t.regex(result.stdout, /^ok +rules\/examples\.json: rule set "examples"/m);
});

test('rules validate: default files skip rules/notifications.json', async (t) => {
  const dir = await makeProject(t, { 'a.json': validSet, 'notifications.json': { triggers: [] } });
  const result = await runRulesCommand(['rules', 'validate', '--json'], dir);
  t.is(result.code, 0, result.stdout);
  t.deepEqual((JSON.parse(result.stdout) as { files: { file: string }[] }).files.map((f) => f.file), ['rules/a.json']);
});

test('rules validate: every problem with file, rule, pointer and position; exit 2', async (t) => {
  const broken = { ...validSet, rules: [{ name: 'bad-when', when: 'subject = (', action: 'ignore' }, { name: 'bad-action', action: 'delete-everything' }, { name: 'all', action: 'create-ticket' }] };
  const dir = await makeProject(t, { 'a.json': validSet, 'b.json': broken, 'c.json': '{ "name": "c",\n  "rules": [1 2]\n}' });
  const result = await runRulesCommand(['rules', 'validate'], dir);
  t.is(result.code, 2);
  t.regex(result.stdout, /^ok +rules\/a\.json/m);
  t.regex(result.stdout, /^FAIL +rules\/b\.json: 3 problems/m);
  t.regex(result.stdout, /rules\/b\.json rule "bad-when" \/rules\/0\/when: JSONata S0\d+ .* \(at position \d+\)/);
  t.regex(result.stdout, /rules\/b\.json rule "bad-action" \/rules\/1\/action: must be one of/);
  t.regex(result.stdout, /rules\/b\.json rule "all" \/rules\/2: unreachable/);
  t.regex(result.stdout, /rules\/c\.json:2:15 \(document\): JSON syntax error/);

  const json = await runRulesCommand(['rules', 'validate', '--json', 'rules/b.json'], dir);
  t.is(json.code, 2);
  const report = JSON.parse(json.stdout) as { ok: boolean; files: { problems: { rule: string; pointer: string; position: number | null }[] }[] };
  t.false(report.ok);
  t.like(report.files[0]?.problems[0], { rule: 'bad-when', pointer: '/rules/0/when' });
  t.is(typeof report.files[0]?.problems[0]?.position, 'number');
});

test('rules test --json: preprocess trace, text, rule, fields and actions per message', async (t) => {
  const result = await runRulesCommand(['rules', 'test', '--json', 'fixtures/rules/default/reply-with-token.eml'], root);
  t.is(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout) as Record<string, unknown> & { preprocess: { step: string; before: string; after: string; changed: boolean }[]; text: string };
  t.like(out, { rule: 'reply-to-ticket', action: 'add-to-ticket', fields: { ticketNumber: 1234 }, postActions: { markRead: true }, threadHint: { ticketNumber: 1234 } });
  t.deepEqual(out.preprocess.map((s) => s.step), ['remove-quoted-reply', 'html-to-text', 'remove-banner', 'remove-disclaimer', 'remove-signature', 'normalize-whitespace']);
  const quote = out.preprocess[0];
  t.true(quote?.changed);
  t.regex(quote?.before ?? '', /wrote:/);
  t.notRegex(out.text, /wrote:|fuser unit/);
  t.regex(out.text, /^It works again/);
});

test('rules test: human output names steps, text, rule and post-actions', async (t) => {
  const result = await runRulesCommand(['rules', 'test', 'fixtures/rules/default/auto-reply-oof.eml'], root);
  t.is(result.code, 0);
  t.regex(result.stdout, /== fixtures\/rules\/default\/auto-reply-oof\.eml/);
  t.regex(result.stdout, /-- decision: rule "ignore-auto-generated" → ignore/);
  t.regex(result.stdout, /post-actions: mark read; categories Mailroom: ignored/);
  t.notRegex(result.stdout, /^\{/m);
});

test('rules test --preprocess all runs every built-in step whatever the rule file says', async (t) => {
  const dir = await makeProject(t, { 'one-step.json': validSet });
  const own = JSON.parse((await runRulesCommand(['rules', 'test', '--json', '--rules', 'rules/one-step.json', 'mail/new-request.eml'], dir)).stdout) as { preprocess: { step: string }[] };
  t.deepEqual(own.preprocess.map((s) => s.step), ['normalize-whitespace']);
  const all = JSON.parse((await runRulesCommand(['rules', 'test', '--json', '--preprocess', 'all', '--rules', 'rules/one-step.json', 'mail/new-request.eml'], dir)).stdout) as { preprocess: { step: string }[]; text: string };
  t.deepEqual(all.preprocess.map((s) => s.step), defaultStepOrder.map((s) => s.step));
  t.notRegex(all.text, /\+49 30/); // the signature step ran
});

test('rules test --expect: a changed expectation fails with exit 1 and shows the difference', async (t) => {
  const dir = await makeProject(t, { 'default.json': await readFile(join(root, 'rules/default.json'), 'utf8') });
  await writeFile(join(dir, 'mail', 'new-request.expected.json'), JSON.stringify({ rule: 'new-ticket', action: 'create-ticket' }));
  const shipped = JSON.parse(await readFile(fixture('default/reply-with-token.expected.json'), 'utf8')) as { fields: Record<string, unknown> };
  shipped.fields.ticketNumber = 999;
  await writeFile(join(dir, 'mail', 'reply-with-token.expected.json'), JSON.stringify({ $comment: 'notes are ignored', ...shipped }));
  const result = await runRulesCommand(['rules', 'test', '--expect', 'mail/new-request.eml', 'mail/reply-with-token.eml'], dir);
  t.is(result.code, 1);
  t.regex(result.stdout, /-- expected \(mail\/new-request\.expected\.json\): ok/);
  t.regex(result.stdout, /-- expected \(mail\/reply-with-token\.expected\.json\): 1 difference\n {3}fields\.ticketNumber: expected 999, got 1234\n/);
  t.regex(result.stdout, /1 of 2 messages as expected/);
});

test('rules test --expect: a pinned field is compared whole; extra computed fields are differences', async (t) => {
  const dir = await makeProject(t, { 'default.json': await readFile(join(root, 'rules/default.json'), 'utf8') });
  await writeFile(join(dir, 'mail', 'new-request.expected.json'), JSON.stringify({ fields: { priority: 'normal' } }));
  const result = await runRulesCommand(['rules', 'test', '--expect', '--json', 'mail/new-request.eml'], dir);
  t.is(result.code, 1);
  const { expectation } = JSON.parse(result.stdout) as { expectation: { differences: { path: string }[] } };
  t.deepEqual(expectation.differences.map((d) => d.path), ['fields.description', 'fields.requester', 'fields.subject']);
});

test('rules test --expect: only pinned fields are compared; the new-request pin holds', async (t) => {
  const dir = await makeProject(t, { 'default.json': await readFile(join(root, 'rules/default.json'), 'utf8') });
  await writeFile(join(dir, 'mail', 'new-request.expected.json'), JSON.stringify({ rule: 'new-ticket', action: 'create-ticket' }));
  const result = await runRulesCommand(['rules', 'test', '--expect', '--json', 'mail/new-request.eml'], dir);
  t.is(result.code, 0, result.stdout);
  t.like(JSON.parse(result.stdout), { expectation: { ok: true, differences: [] } });
});

test('rules test --expect: a missing expectation file is a difference, not a crash', async (t) => {
  const dir = await makeProject(t, { 'default.json': validSet });
  const result = await runRulesCommand(['rules', 'test', '--expect', '--json', 'mail/new-request.eml'], dir);
  t.is(result.code, 1);
  t.like(JSON.parse(result.stdout), { expectation: { ok: false, file: 'mail/new-request.expected.json' } });
});

test('rules test --known-thread turns a reply without token into add-to-ticket', async (t) => {
  const eml = 'fixtures/rules/known-thread/reply-by-references.eml';
  const unknown = JSON.parse((await runRulesCommand(['rules', 'test', '--json', eml], root)).stdout) as { rule: string };
  const known = JSON.parse((await runRulesCommand(['rules', 'test', '--json', '--known-thread', eml], root)).stdout) as { rule: string; threadHint: { references: string[] } };
  t.is(unknown.rule, 'new-ticket');
  t.is(known.rule, 'reply-to-ticket');
  t.deepEqual(known.threadHint.references, ['ticket-1234-notify-1@fabrikam.example', 'new-request-1@contoso.example']);
});

test('rules test: a runaway rule fails that message with RULE_TIMEOUT and exit 1, others still run', async (t) => {
  const runaway = { ...validSet, rules: [{ name: 'loop', when: '$contains(subject, "RE:") and ($f := function($x){ $f($x) }; $f(1))', action: 'ignore' }, { name: 'all', action: 'create-ticket' }] };
  const dir = await makeProject(t, { 'default.json': runaway });
  const result = await runRulesCommand(['rules', 'test', '--json', 'mail/reply-with-token.eml', 'mail/new-request.eml'], dir);
  t.is(result.code, 1);
  const [first, second] = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { rule: string | null; error?: { code: string } });
  t.is(first?.error?.code, 'RULE_TIMEOUT');
  t.is(second?.rule, 'all');
});

test('rules test: an invalid rule file is RULE_INVALID (exit 2); bad arguments are USAGE (exit 2)', async (t) => {
  const dir = await makeProject(t, { 'default.json': { name: 'x', preprocess: [], rules: [{ name: 'r', when: ')', action: 'ignore' }] } });
  const invalid = await runRulesCommand(['rules', 'test', 'mail/new-request.eml'], dir);
  t.like(invalid, { code: 2, error: 'RULE_INVALID' });
  t.like(await runRulesCommand(['rules', 'test', '--preprocess', 'some', 'mail/new-request.eml'], dir), { code: 2, error: 'USAGE' });
  t.like(await runRulesCommand(['rules', 'test', 'mail/nope.eml'], dir), { code: 2, error: 'USAGE' });
});
