import test from 'ava';
import { isAppError } from '../../src/core/index.ts';
import type { ConfigProblem } from '../../src/config/config-problem.ts';
import type { AlertsJobConfig } from '../../src/config/job-config.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { makeTempProject } from '../helpers/temp-project.ts';

const connection = { name: 'demo', tenantId: '11111111-2222-3333-4444-555555555555', clientId: '66666666-7777-8888-9999-000000000000', credential: { clientSecret: { env: 'DEMO_SECRET' } } };

async function load(job: Record<string, unknown>): Promise<AlertsJobConfig | ConfigProblem[]> {
  const project = await makeTempProject({ 'schedules/a.json': JSON.stringify({ connections: [connection], jobs: [{ name: 'alerts', type: 'alerts', connection: 'demo', ...job }] }) });
  try {
    return (await loadConfig({ root: project.dir, env: {} })).jobs[0] as AlertsJobConfig;
  } catch (error) {
    if (!isAppError(error, 'CONFIG_INVALID')) throw error;
    return error.details.problems as ConfigProblem[];
  } finally {
    await project.cleanup();
  }
}

test('an alerts job in schedules/ gets every default, and what it tunes wins', async (t) => {
  const job = await load({ recipients: ['Ops@Contoso.example'], rules: { jobFailing: { failedRuns: 5 }, quarantine: { enabled: false } }, jobs: { purchasing: { enabled: false } } });
  if (Array.isArray(job)) return t.fail(JSON.stringify(job));
  t.is(job.schedule, '5 minutes');
  t.deepEqual(job.recipients, ['ops@contoso.example']);
  t.is(job.repeatEvery, null);
  t.is(job.quietPeriod, '1 day');
  t.deepEqual(job.rules.jobFailing, { enabled: true, failedRuns: 5 });
  t.deepEqual(job.rules.jobSilent, { enabled: true, after: '1 day' });
  t.deepEqual(job.rules.credentialExpiry, { enabled: true, warnDays: 30, criticalDays: 7 });
  t.deepEqual(job.rules.quarantine, { enabled: false, threshold: 5, window: '1 day' });
  t.deepEqual(job.jobs, { purchasing: { enabled: false } });
});

test('a mistyped alert rule is reported with its file and pointer', async (t) => {
  const problems = await load({ recipients: ['not an address'], rules: { jobFailing: { failedRun: 3 } }, quietPeriod: '2 fortnights' });
  t.true(Array.isArray(problems));
  const where = (problems as ConfigProblem[]).map((p) => `${p.file} ${p.pointer}`);
  t.true(where.includes('schedules/a.json /jobs/0/rules/jobFailing/failedRun'), where.join('; '));
  t.true(where.includes('schedules/a.json /jobs/0/recipients/0'), where.join('; '));
  t.true(where.includes('schedules/a.json /jobs/0/quietPeriod'), where.join('; '));
});
