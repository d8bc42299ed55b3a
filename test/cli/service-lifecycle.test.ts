import test from 'ava';
import { connect } from 'node:net';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { openAppStore } from '../../src/open-app-store.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { emulatorClient } from '../helpers/emulator-client.ts';
import { clientId, secretValue, supportMailbox, tenantId, testTenant } from '../helpers/mail-world.ts';
import { startCli } from '../helpers/run-cli.ts';

/** A project folder with one mail job on an emulated tenant (served by this test process), and `count` mails waiting. */
async function project(t: { teardown(fn: () => unknown): void }, count: number, latencyMs: number): Promise<{ dir: string; emulator: RunningEmulator }> {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-life-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await cp('rules/default.json', join(dir, 'rules/default.json'));
  const emulator = await startEmulator({ port: 0, stateDir: join(dir, '.mailroom/emulator'), tenant: testTenant(), latencyMs });
  t.teardown(() => emulator.close());
  await mkdir(join(dir, 'schedules'));
  await writeFile(join(dir, 'schedules/test.json'), JSON.stringify({
    connections: [{ name: 'local', tenantId, clientId, cloud: 'emulator', credential: { clientSecret: { env: 'LOCAL_SECRET' } } }],
    jobs: [{ name: 'support', type: 'mail', connection: 'local', mailbox: supportMailbox, folder: 'Inbox/Support', schedule: '1 hour', postActions: { markRead: true, moveTo: 'Inbox/Processed' } }],
  }));
  const control = emulatorClient(emulator);
  for (let i = 0; i < count; i += 1) {
    await control.deliver(supportMailbox, buildMime({ from: `User ${i} <u${i}@fabrikam.example>`, subject: `Request ${i}`, body: `Please help with ${i}.`, messageId: `life-${i}@fabrikam.example` }), 'Inbox/Support');
  }
  return { dir, emulator };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('one SIGTERM to the real `mailroom worker` lets the running run finish, releases its locks and exits 0', async (t) => {
  const { dir } = await project(t, 20, 20);
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const worker = startCli(['worker', '--grace', '60'], { cwd: dir, env: { LOCAL_SECRET: secretValue, MONGODB_URI: db.uri, MAILROOM_DB: db.dbName, MAILROOM_DEMO: '0', LOG_LEVEL: 'debug' } });
  t.teardown(() => void worker.child.kill('SIGKILL'));
  await worker.waitForLine(/"message":"job support started"/);
  worker.child.kill('SIGTERM');
  t.is(await worker.exited, 0, worker.stderr().slice(-2000));
  const runs = await db.store.collection('job_runs').find({ job: 'support' }).toArray();
  t.is(runs.length, 1);
  t.like(runs[0], { status: 'succeeded', counts: { created: 20 } }, 'the run in progress finished within the grace period');
  t.is(await db.store.db.collection('agendaJobs').countDocuments({ lockedAt: { $ne: null } }), 0, 'no lock left behind');
  t.regex(worker.stderr(), /"message":"stopped"/);
});

test('one SIGTERM to the real `mailroom start` interrupts a run that outlasts --grace, stops the embedded database and exits 0', async (t) => {
  // 40 mails at 150 ms per Graph operation take far longer than the one second of grace.
  const { dir } = await project(t, 40, 150);
  const env = { LOCAL_SECRET: secretValue, MONGODB_URI: '', MAILROOM_DEMO: '0', LOG_LEVEL: 'debug', MAILROOM_HTTP_PORT: '0' };
  const service = startCli(['start', '--grace', '1'], { cwd: dir, env });
  t.teardown(() => void service.child.kill('SIGKILL'));
  const scheduled = await service.waitForLine(/scheduled 1 job/);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(scheduled)?.[1]);
  t.true(port > 0, scheduled);
  await service.waitForLine(/"message":"job support started"/);
  const signalledAt = Date.now();
  service.child.kill('SIGTERM');
  t.is(await service.exited, 0, service.stderr().slice(-2000));
  t.true(Date.now() - signalledAt < 20_000, 'it ended by itself, soon after the grace period');
  t.false(await answers(port), 'the embedded database stopped with it');

  const store = await openAppStore(dir, { PATH: process.env.PATH, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME }, createSilentLogger());
  t.teardown(() => store.close());
  const [run] = await store.collection('job_runs').find({ job: 'support' }).toArray();
  t.is(run?.status, 'aborted', 'the run that outlasted the grace period was interrupted and recorded so');
  t.is(await store.db.collection('agendaJobs').countDocuments({ lockedAt: { $ne: null } }), 0);
});
