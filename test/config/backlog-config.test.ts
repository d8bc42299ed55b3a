import test from 'ava';
import { isAppError } from '../../src/core/index.ts';
import { backlogCutoff, backlogSetting, readBacklogSince } from '../../src/config/backlog-setting.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import type { ConfigProblem } from '../../src/config/config-problem.ts';
import { makeTempProject } from '../helpers/temp-project.ts';

const connection = { name: 'demo', tenantId: '11111111-2222-3333-4444-555555555555', clientId: '66666666-7777-8888-9999-000000000000', credential: { clientSecret: { env: 'DEMO_SECRET' } } };
const ruleSet = JSON.stringify({ name: 'default', preprocess: [], rules: [{ name: 'all', action: 'create-ticket' }] });

async function problemsOf(jobs: Record<string, unknown>[]): Promise<ConfigProblem[]> {
  const project = await makeTempProject({ 'schedules/a.json': JSON.stringify({ connections: [connection], jobs }), 'rules/default.json': ruleSet });
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

const mail = (name: string, extra: Record<string, unknown>) => ({ name, type: 'mail', connection: 'demo', mailbox: 'support@contoso.example', ...extra });

test('backlog and since are checked with file and field: an unknown mode, a since that reads as nothing, since with skip', async (t) => {
  const unknown = await problemsOf([mail('a', { backlog: 'ignore' })]);
  t.deepEqual(unknown.map((p) => [p.file, p.pointer]), [['schedules/a.json', '/jobs/0/backlog']]);
  t.regex(unknown[0]!.message, /"import", "skip"/);
  // A bad backlog does not hide a bad since of the same job: the schema's problem and the reading of since, at once.
  const both = await problemsOf([mail('a', { backlog: 'later', since: 'soon' })]);
  t.deepEqual(both.map((p) => [p.file, p.pointer]), [['schedules/a.json', '/jobs/0/backlog'], ['schedules/a.json', '/jobs/0/since']], JSON.stringify(both));
  t.regex(both[1]!.message, /"soon" is neither "all"/);
  // A since that is no string is the schema's to say, once.
  const typed = await problemsOf([mail('a', { since: 7 })]);
  t.deepEqual(typed.map((p) => [p.pointer, p.message]), [['/jobs/0/since', 'must be string']]);
  const problems = await problemsOf([
    mail('a', { backlog: 'skip' }),
    mail('b', { since: 'last tuesday' }),
    mail('c', { backlog: 'skip', since: '7 days' }),
    mail('d', { backlog: 'import', since: '2026-11-01' }),
    mail('e', { since: '30d' }),
    mail('f', { since: 'all' }),
  ]);
  t.deepEqual(problems.map((p) => [p.file, p.pointer]), [['schedules/a.json', '/jobs/1/since'], ['schedules/a.json', '/jobs/2/since']], JSON.stringify(problems));
  t.regex(problems[0]!.message, /neither "all", a date .* nor a duration/);
  t.regex(problems[1]!.message, /only with backlog "import"/);
});

test('the cut: skip takes the first run, a duration counts back from it, a date is fixed, all takes everything; the default is import of 7 days', (t) => {
  const first = new Date('2026-12-01T10:00:00Z');
  const cut = (job: { backlog?: 'import' | 'skip'; since?: string }) => backlogCutoff(backlogSetting(job), first)?.toISOString() ?? null;
  t.is(cut({}), '2026-11-24T10:00:00.000Z');
  t.is(cut({ backlog: 'skip' }), '2026-12-01T10:00:00.000Z');
  t.is(cut({ since: '30d' }), '2026-11-01T10:00:00.000Z');
  t.is(cut({ since: '2026-06-15' }), '2026-06-15T00:00:00.000Z');
  t.is(cut({ since: '2026-06-15T08:30:00+02:00' }), '2026-06-15T06:30:00.000Z');
  t.is(cut({ since: 'all' }), null);
  t.deepEqual(readBacklogSince('2026-02-30'), { error: '"2026-02-30" is not a valid date' });
});
