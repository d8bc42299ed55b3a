import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { createOutbox } from '../../src/notify/index.ts';
import { collectionNames } from '../../src/store/index.ts';
import { alertsJob, notifyJob, startAlertsWorld, testJob, type AlertsWorld } from './alerts-world.ts';

const childPath = fileURLToPath(new URL('./alerts-crash-child.ts', import.meta.url));

function runCrashingChild(world: AlertsWorld, point: string, config: unknown): Promise<{ signal: NodeJS.Signals | null; stderr: string }> {
  const args = { point, uri: world.db.uri, dbName: world.db.dbName, config, now: world.clock().toISOString() };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childPath, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      resolve({ signal, stderr });
    });
  });
}

for (const point of ['after-transitions', 'after-queue'] as const) {
  test(`an alerts run killed ${point.replace('-', ' ')}: the restart queues the alert exactly once and it is sent once`, async (t) => {
    const world = await startAlertsWorld();
    t.teardown(() => world.close());
    const app = world.app([testJob({ folder: 'Inbox/Nowhere' }), notifyJob, alertsJob()]);
    for (let i = 0; i < 3; i += 1) t.is((await app.runJobNow('support')).status, 'failed');

    const child = await runCrashingChild(world, point, app.config);
    t.is(child.signal, 'SIGKILL', child.stderr);
    const [stored] = await world.db.store.collection<{ status: string; pending: unknown[] }>(collectionNames.alerts).find({}).toArray();
    t.is(stored?.status, 'active', 'the transition was stored before the crash');
    t.is(stored?.pending.length, 1, 'with its mail still to confirm');
    const outbox = createOutbox(world.db.store, world.clock);
    t.is((await outbox.list()).length, point === 'after-queue' ? 1 : 0);

    const restart = await app.runJobNow('alerts');
    t.is(restart.counts.fired ?? 0, 0, 'the restart does not fire again');
    t.is((await outbox.list()).length, 1);
    t.is((await app.runJobNow('alerts')).counts.queued ?? 0, 0);
    await app.runJobNow('notify');
    t.is((await world.sent()).length, 1);
  });
}
