import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import { startTestDatabase, type TestDatabase } from '../../src/store/index.ts';
import { agendaJobNames, createScheduler, reconcileSchedules } from '../../src/scheduler/index.ts';
import { createApp } from '../../src/app.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { testJob } from '../helpers/mail-world.ts';

interface Probe { job: string; worker: string; start: Date; end: Date | null }

function startWorker(db: TestDatabase, env: Record<string, string>): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/scheduler/worker-child.ts'], {
      env: { ...process.env, DB_URI: db.uri, DB_NAME: db.dbName, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.includes('started')) resolve({ child, exited });
    });
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`worker exited early (${code}): ${err}`)));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('reconciliation schedules new jobs, updates changed schedules and unschedules removed or disabled ones', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const agenda = new Agenda({ backend: new MongoBackend({ mongo: db.store.db }) });
  const a = testJob({ name: 'a', schedule: '5 minutes' });
  const b = testJob({ name: 'b', schedule: '1 minute' });
  const first = await reconcileSchedules(agenda, db.store, [a, b], new Map());
  t.deepEqual(first.added.sort(), ['a', 'b']);
  const again = await reconcileSchedules(agenda, db.store, [a, b], new Map());
  t.deepEqual(again.unchanged.sort(), ['a', 'b']);
  const changed = await reconcileSchedules(agenda, db.store, [{ ...a, schedule: '10 minutes' }], new Map());
  t.deepEqual(changed.changed, ['a']);
  t.deepEqual(changed.removed, ['b']);
  const disabled = await reconcileSchedules(agenda, db.store, [{ ...a, schedule: '10 minutes' }], new Map([['a', false]]));
  t.deepEqual(disabled.removed, ['a']);
  const { jobs } = await agenda.queryJobs({ names: Object.values(agendaJobNames), includeDisabled: true });
  t.is(jobs.length, 0);
  const back = await reconcileSchedules(agenda, db.store, [{ ...a, schedule: '10 minutes' }], new Map());
  t.deepEqual(back.added, ['a']);
  const [only] = (await agenda.queryJobs({ names: Object.values(agendaJobNames) })).jobs;
  t.is(only?.repeatInterval, '10 minutes');
});

test('two workers share 30 jobs on a 2-second interval: every job runs, no run of a job overlaps another', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const one = await startWorker(db, { WORKER: 'one' });
  const two = await startWorker(db, { WORKER: 'two' });
  await sleep(30_000);
  one.child.kill('SIGTERM');
  two.child.kill('SIGTERM');
  t.deepEqual(await Promise.all([one.exited, two.exited]), [0, 0]);
  const probes = await db.store.db.collection<Probe>('probe_runs').find({}).toArray();
  const byJob = new Map<string, Probe[]>();
  for (const p of probes) byJob.set(p.job, [...(byJob.get(p.job) ?? []), p]);
  t.is(byJob.size, 30, 'every job ran');
  t.true([...byJob.values()].every((runs) => runs.length >= 3), 'each job ran repeatedly');
  t.true(new Set(probes.map((p) => p.worker)).size === 2, 'both workers took jobs');
  for (const [job, runs] of byJob) {
    const sorted = runs.filter((r) => r.end).sort((x, y) => x.start.getTime() - y.start.getTime());
    for (let i = 1; i < sorted.length; i += 1) {
      t.true(sorted[i]!.start.getTime() >= sorted[i - 1]!.end!.getTime(), `${job}: run ${i} started before run ${i - 1} ended`);
    }
  }
});

test("a killed worker's lock is taken over by the other worker after the lock lifetime", async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  // job-0 runs for a minute (its lock refreshed meanwhile) and is due every 3 seconds.
  const env = { JOBS: '1', SCHEDULE: '3 seconds', LOCK_MS: '4000', LONG_JOB: 'job-0' };
  const one = await startWorker(db, { ...env, WORKER: 'one' });
  const two = await startWorker(db, { ...env, WORKER: 'two' });
  t.teardown(() => void two.child.kill('SIGKILL'));
  const probes = db.store.db.collection<Probe>('probe_runs');
  let first: Probe | null = null;
  for (let i = 0; i < 150 && !first; i += 1) {
    first = await probes.findOne({});
    if (!first) await sleep(200);
  }
  t.truthy(first, 'a worker started the job');
  await sleep(5000);
  t.is(await probes.countDocuments({}), 1, 'while its holder lives and refreshes the lock, nobody else runs the job');
  const holder = first!.worker === 'one' ? one : two;
  const other = first!.worker === 'one' ? 'two' : 'one';
  holder.child.kill('SIGKILL');
  const killedAt = Date.now();
  await holder.exited;
  let takeover: Probe | null = null;
  for (let i = 0; i < 150 && !takeover; i += 1) {
    takeover = await probes.findOne({ worker: other });
    if (!takeover) await sleep(200);
  }
  t.truthy(takeover, 'the other worker took the job over');
  t.true(takeover!.start.getTime() >= killedAt + 2000, 'not before the dead worker\'s lock expired');
  if (holder !== one) one.child.kill('SIGKILL');
});

test('jobs run --queue moves the job\'s one entry to now and leaves the lock of a run in progress alone', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const job = testJob({ name: 'queued', schedule: '1 hour', connection: 'none' });
  const app = createApp({ config: { root: process.cwd(), env: {}, connections: [], jobs: [job], ruleSets: {}, notificationsFile: null }, store: db.store, logger: createSilentLogger() });
  const scheduler = createScheduler(app);
  await scheduler.reconcile();
  const entries = db.store.db.collection('agendaJobs');
  const lockedAt = new Date(Date.now() - 1000);
  await entries.updateOne({ 'data.job': 'queued' }, { $set: { lockedAt, nextRunAt: new Date(Date.now() + 3_600_000) } });
  const before = Date.now();
  await scheduler.queue('queued');
  const all = await entries.find({ 'data.job': 'queued' }).toArray();
  t.is(all.length, 1, 'still one entry');
  t.deepEqual(all[0]!.lockedAt, lockedAt, 'the running run keeps its lock');
  t.true((all[0]!.nextRunAt as Date).getTime() >= before - 1000 && (all[0]!.nextRunAt as Date).getTime() <= Date.now(), 'due now');
});
