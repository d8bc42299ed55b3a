import test from 'ava';
import { isAppError } from '../../src/core/index.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import type { ConfigProblem } from '../../src/config/config-problem.ts';
import { makeTempProject } from '../helpers/temp-project.ts';

const connection = { name: 'demo', tenantId: '11111111-2222-3333-4444-555555555555', clientId: '66666666-7777-8888-9999-000000000000', credential: { clientSecret: { env: 'DEMO_SECRET' } } };
const ruleSet = JSON.stringify({ name: 'default', preprocess: [], rules: [{ name: 'all', action: 'create-ticket' }] });

async function problemsOf(files: Record<string, string>): Promise<ConfigProblem[]> {
  const project = await makeTempProject(files);
  try {
    await loadConfig({ root: project.dir, env: {} });
    return [];
  } catch (error) {
    if (!isAppError(error, 'CONFIG_INVALID')) throw error;
    return error.details.problems as ConfigProblem[];
  } finally {
    await project.cleanup();
  }
}

test('a valid project loads with defaults applied and frozen', async (t) => {
  const project = await makeTempProject({
    'schedules/a.json': JSON.stringify({ connections: [connection], jobs: [{ name: 'support', type: 'mail', connection: 'demo', mailbox: 'support@contoso.example' }] }),
    'rules/default.json': ruleSet,
  });
  t.teardown(() => project.cleanup());
  const config = await loadConfig({ root: project.dir, env: {} });
  const job = config.jobs[0]!;
  if (job.type !== 'mail') return t.fail('expected a mail job');
  t.is(job.schedule, '5 minutes');
  t.is(job.folder, 'Inbox');
  t.is(job.rules, 'default');
  t.true(job.postActions.markRead);
  t.is(job.limits.maxAttempts, 3);
  t.is(job.limits.messageMaxBytes, undefined);
  t.true(Object.isFrozen(job));
  t.throws(() => {
    (job as { folder: string }).folder = 'x';
  });
});

test('problems in several files are reported together with file, pointer and reason', async (t) => {
  const problems = await problemsOf({
    'schedules/a.json': JSON.stringify({ connections: [connection], jobs: [{ name: 'support', type: 'mail', connection: 'demo' }] }),
    'schedules/b.json': '{ "jobs": [ }',
    'rules/default.json': ruleSet,
  });
  t.deepEqual(problems.map((p) => [p.file, p.pointer]), [
    ['schedules/a.json', '/jobs/0'],
    ['schedules/b.json', ''],
  ]);
  t.regex(problems[0]!.message, /mailbox/);
  t.is(problems[1]!.line, 1);
  t.regex(problems[1]!.message, /JSON syntax error/);
});

test('cross-file references are checked: unknown connection, missing rule set, duplicate names, bad schedule', async (t) => {
  const job = { name: 'support', type: 'mail', connection: 'nope', mailbox: 'a@b.c', rules: 'missing', schedule: 'every blue moon' };
  const problems = await problemsOf({
    'schedules/a.json': JSON.stringify({ connections: [connection], jobs: [job] }),
    'schedules/b.json': JSON.stringify({ connections: [connection] }),
  });
  const byPointer = Object.fromEntries(problems.map((p) => [`${p.file}#${p.pointer}`, p.message]));
  t.regex(byPointer['schedules/a.json#/jobs/0/connection'] ?? '', /no connection named "nope"/);
  t.regex(byPointer['schedules/a.json#/jobs/0/rules'] ?? '', /rules\/missing\.json/);
  t.regex(byPointer['schedules/a.json#/jobs/0/schedule'] ?? '', /neither an interval/);
  t.regex(byPointer['schedules/b.json#/connections/0/name'] ?? '', /also defined in schedules\/a\.json/);
});

test('a file that breaks the schema still gets every other check: all its problems in one report, each field once', async (t) => {
  const problems = await problemsOf({
    'schedules/a.json': JSON.stringify({
      connections: [connection],
      jobs: [
        { name: 'support', type: 'mail', connection: 'demo' },
        { name: 'other', type: 'mail', connection: 'nope', mailbox: 'a@b.c', schedule: 'every blue moon' },
        { name: 'weird', type: 'mial', connection: 'nope' },
        { name: 'support', type: 'mail', connection: 'demo', mailbox: 'a@b.c', schedule: 5 },
      ],
      jobz: 1,
    }),
    'rules/default.json': ruleSet,
  });
  // The schema's problems (/jobs/0, /jobs/2/type, /jobs/3/schedule, /jobz) and those of the checks after it, which
  // before stopped at the file's first schema problem; in the order of the file. An unknown type is not read further.
  t.deepEqual(problems.map((p) => [p.file, p.pointer]), [
    ['schedules/a.json', '/jobs/0'],
    ['schedules/a.json', '/jobs/1/connection'],
    ['schedules/a.json', '/jobs/1/schedule'],
    ['schedules/a.json', '/jobs/2/type'],
    ['schedules/a.json', '/jobs/3/name'],
    ['schedules/a.json', '/jobs/3/schedule'],
    ['schedules/a.json', '/jobz'],
  ], JSON.stringify(problems, null, 1));
  t.regex(problems[1]!.message, /no connection named "nope"/);
  t.regex(problems[2]!.message, /neither an interval/);
  t.regex(problems[4]!.message, /job "support" is also defined/);
  t.is(problems[5]!.message, 'must be string', 'the schema says it once; the schedule is not parsed');
});

test('unknown fields and wrong enum values are named precisely', async (t) => {
  const problems = await problemsOf({
    'schedules/a.json': JSON.stringify({ connections: [connection], jobs: [{ name: 'support', type: 'mial', connection: 'demo', mailbox: 'a@b.c' }], job: [] }),
  });
  t.true(problems.some((p) => p.pointer === '/job' && /unknown field/.test(p.message)));
  t.true(problems.some((p) => p.pointer === '/jobs/0/type' && /must be one of "mail"/.test(p.message)));
});

test('a mail job keeps the limits it sets, messageMaxBytes included', async (t) => {
  const project = await makeTempProject({
    'schedules/a.json': JSON.stringify({ connections: [connection], jobs: [{ name: 'support', type: 'mail', connection: 'demo', mailbox: 'support@contoso.example', limits: { messageMaxBytes: 1000, maxAttempts: 5 } }] }),
    'rules/default.json': ruleSet,
  });
  t.teardown(() => project.cleanup());
  const job = (await loadConfig({ root: project.dir, env: {} })).jobs[0]!;
  if (job.type !== 'mail') return t.fail('expected a mail job');
  t.deepEqual(job.limits, { messagesPerRun: 1000, attachmentMaxBytes: 26_214_400, maxAttempts: 5, messageMaxBytes: 1000 });
});
