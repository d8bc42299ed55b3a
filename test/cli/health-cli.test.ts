import test from 'ava';
import { cp, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { createScheduler } from '../../src/scheduler/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import { clientId, secretValue, supportMailbox, tenantId, testTenant } from '../helpers/mail-world.ts';
import { runCli } from '../helpers/run-cli.ts';

interface Report { status: string; checks: { name: string; status: string; message: string }[] }

// `mailroom health` as a monitor runs it: the real binary, its exit code and --json, over a changing set of jobs.
// The runs it judges are made in this process by the same composition root (three binary calls keep the test fast).
test('mailroom health exits 0 for healthy jobs, 1 when a job\'s last run failed, 2 when it failed 3 runs in a row', async (t) => {
  const project = await mkdtemp(join(tmpdir(), 'mailroom-health-'));
  t.teardown(() => rm(project, { recursive: true, force: true }));
  await cp('rules/default.json', join(project, 'rules/default.json'));
  const emulator = await startEmulator({ port: 0, stateDir: join(project, '.mailroom/emulator'), tenant: testTenant() });
  t.teardown(() => emulator.close());
  await mkdir(join(project, 'schedules'));
  const connection = { name: 'local', tenantId, clientId, cloud: 'emulator', credential: { clientSecret: { env: 'LOCAL_SECRET' } }, secretExpiresAt: '2099-12-31' };
  const support = { name: 'support', type: 'mail', connection: 'local', mailbox: supportMailbox, folder: 'Inbox/Support' };
  const broken = { name: 'broken', type: 'mail', connection: 'local', mailbox: supportMailbox, folder: 'Inbox/Nowhere' };
  const writeJobs = (jobs: unknown[]) => writeFile(join(project, 'schedules/test.json'), JSON.stringify({ connections: [connection], jobs }));
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const env = { LOCAL_SECRET: secretValue, MONGODB_URI: db.uri, MAILROOM_DB: db.dbName };
  const cli = (args: string[]) => runCli(args, { cwd: project, env, timeoutMs: 120_000 });
  /** An app over the project as it is now; reconciling the schedule is what a worker does at start. */
  const appNow = async () => {
    const app = createApp({ config: await loadConfig({ root: project, env }), store: db.store, logger: createSilentLogger() });
    await createScheduler(app).reconcile();
    return app;
  };
  const health = async (): Promise<{ code: number | null; report: Report }> => {
    const result = await cli(['health', '--json']);
    return { code: result.code, report: JSON.parse(result.stdout) as Report };
  };

  await writeJobs([support]);
  t.is((await (await appNow()).runJobNow('support')).status, 'succeeded');
  const healthy = await health();
  t.is(healthy.code, 0, JSON.stringify(healthy.report));
  t.is(healthy.report.status, 'healthy');
  t.deepEqual(healthy.report.checks.map((c) => [c.name, c.status]), [['database', 'ok'], ['job:support', 'ok']]);

  await writeJobs([support, broken]);
  const app = await appNow();
  t.is((await app.runJobNow('broken')).error?.code, 'GRAPH_FOLDER_NOT_FOUND');
  const degraded = await health();
  t.is(degraded.code, 1, JSON.stringify(degraded.report));
  t.is(degraded.report.status, 'degraded');
  const brokenCheck = degraded.report.checks.find((c) => c.name === 'job:broken');
  t.is(brokenCheck?.status, 'warn');
  t.regex(brokenCheck?.message ?? '', /last run of job broken failed \(GRAPH_FOLDER_NOT_FOUND/);

  for (let i = 0; i < 2; i += 1) t.is((await app.runJobNow('broken')).status, 'failed');
  const failing = await cli(['health']);
  t.is(failing.code, 2, failing.stdout + failing.stderr);
  t.regex(failing.stdout, /^failing\n/);
  t.regex(failing.stdout, /job:broken\s+fail\s+job broken failed its last 3 runs/);
  t.notRegex(failing.stdout, /job:support/, 'the human form lists only what is wrong');
});
