import test from 'ava';
import { createApp } from '../../src/app.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { createJobWaker, createScheduler, jobPhase, reconcileSchedules } from '../../src/scheduler/index.ts';
import { startTestDatabase, type Store } from '../../src/store/index.ts';
import { testJob } from '../helpers/mail-world.ts';

interface Entry { data: { job: string }; nextRunAt: Date | null; lastRunAt?: Date | null; lockedAt?: Date | null }

const entriesOf = async (store: Store): Promise<Map<string, Entry>> =>
  new Map((await store.db.collection<Entry>('agendaJobs').find({}).toArray()).map((e) => [e.data.job, e]));

function appWith(store: Store, jobs: ReturnType<typeof testJob>[], onRun?: (name: string) => void) {
  return createApp({
    config: { root: process.cwd(), env: {}, connections: [], jobs, ruleSets: {}, notificationsFile: null },
    store,
    logger: createSilentLogger(),
    handlers: { mail: async (job) => void onRun?.(job.name) },
  });
}

test('600 one-minute jobs scheduled together get distinct first runs spread over the minute, kept by a restart and re-spread when all were missed', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const jobs = Array.from({ length: 600 }, (_, i) => testJob({ name: `mailbox-${i}`, schedule: '1 minute', connection: 'none' }));
  const before = Date.now();
  const first = await createScheduler(appWith(db.store, jobs)).reconcile();
  const after = Date.now();
  t.is(first.added.length, 600);
  const entries = await entriesOf(db.store);
  const times = jobs.map((j) => entries.get(j.name)!.nextRunAt!.getTime());
  t.true(times.every((at) => at >= before && at < after + 60_000), 'every first run lies within the minute after scheduling');
  // Phases come from a hash, so at millisecond resolution a few pairs meet (about 3 expected of 600 in 60,000 ms).
  const crowd = (values: number[]): number => {
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return Math.max(...counts.values());
  };
  t.true(new Set(times).size >= 590 && crowd(times) <= 2, `${new Set(times).size} distinct times, at most ${crowd(times)} at one moment`);
  // Six 10-second windows of the minute hold about 100 first runs each (the phases are uniform), never a pile.
  // (Counted from the earliest: the spread starts once all 600 entries are saved.)
  const earliest = Math.min(...times);
  const windows = Array.from({ length: 6 }, (_, w) => times.filter((at) => at - earliest >= w * 10_000 && at - earliest < (w + 1) * 10_000).length);
  t.true(windows.every((n) => n >= 60 && n <= 140), `first runs per 10 s: ${windows.join(', ')}`);
  t.deepEqual(Object.fromEntries(Object.entries(first.firstRuns).map(([k, v]) => [k, v.getTime()])), Object.fromEntries(jobs.map((j, i) => [j.name, times[i]])), 'the result reports what it stored');

  // A worker restarting (another scheduler on the same database) keeps the times still to come; the few already
  // past (no worker ran them here) are spread again, as after any stop.
  const secondAt = Date.now();
  const again = await createScheduler(appWith(db.store, jobs)).reconcile();
  const secondEnd = Date.now();
  t.is(again.unchanged.length, 600);
  const kept = await entriesOf(db.store);
  const future = jobs.filter((_, i) => times[i]! > secondEnd);
  t.true(future.length > 400, `${future.length} still to come`);
  t.true(future.every((j) => kept.get(j.name)!.nextRunAt!.getTime() === times[jobs.indexOf(j)]), 'times still to come are kept');
  t.true(Object.keys(again.firstRuns).every((name) => times[jobs.findIndex((j) => j.name === name)]! < secondEnd), 'only passed times are moved');
  t.true(Object.values(again.firstRuns).every((at) => at.getTime() >= secondAt));
  const entriesNow = kept;

  // All workers were down for ten minutes: every job's time passed unrun. One is locked by a worker that took it meanwhile.
  await db.store.db.collection('agendaJobs').updateOne({ 'data.job': 'mailbox-7' }, { $set: { lockedAt: new Date() } });
  const later = new Date(after + 10 * 60_000);
  const restarted = await reconcileSchedules((createScheduler(appWith(db.store, jobs))).agenda, db.store, jobs, new Map(), later);
  const moved = await entriesOf(db.store);
  t.is(moved.get('mailbox-7')!.nextRunAt!.getTime(), entriesNow.get('mailbox-7')!.nextRunAt!.getTime(), 'a locked entry keeps its time');
  const respread = jobs.filter((j) => j.name !== 'mailbox-7').map((j) => moved.get(j.name)!.nextRunAt!.getTime());
  t.true(respread.every((at) => at >= later.getTime() && at < later.getTime() + 60_000), 'missed jobs run within a minute of the restart');
  t.true(new Set(respread).size >= 589 && crowd(respread) <= 2);
  t.is(Object.keys(restarted.firstRuns).length, 599);
  // The same phases: the jobs start in the order they first did, each at the same offset within the window.
  const offsets = jobs.filter((j) => j.name !== 'mailbox-7').map((j) => moved.get(j.name)!.nextRunAt!.getTime() - later.getTime());
  const firstOffsets = jobs.filter((j) => j.name !== 'mailbox-7').map((j) => entries.get(j.name)!.nextRunAt!.getTime());
  t.true(entriesNow.size === 600);
  // Sorted by their first times, the jobs' new times rise too (within a millisecond's rounding: 599 jobs now).
  const order = firstOffsets.map((_, i) => i).sort((a, b) => firstOffsets[a]! - firstOffsets[b]!);
  t.true(order.every((i, k) => k === 0 || offsets[i]! >= offsets[order[k - 1]!]! - 1), 'the same order as before');
});

test('after a run a job is due at its own slot of the interval; a wake runs it at once and leaves it on its slots', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const jobs = ['alpha', 'beta', 'gamma'].map((name) => testJob({ name, schedule: '1 minute', connection: 'none' }));
  const runs: string[] = [];
  const app = appWith(db.store, jobs, (name) => runs.push(name));
  const scheduler = createScheduler(app, { processEveryMs: 200 });
  const completed = (count: number): Promise<void> => new Promise((resolve) => {
    let seen = 0;
    const onComplete = (): void => {
      seen += 1;
      if (seen < count) return;
      scheduler.agenda.off('complete', onComplete);
      resolve();
    };
    scheduler.agenda.on('complete', onComplete);
  });
  t.teardown(() => scheduler.stop(5000));
  // Three jobs due together spread over 0.3 s: they run at once after start.
  const firstRuns = completed(3);
  await scheduler.start();
  await firstRuns;
  t.deepEqual([...runs].sort(), ['alpha', 'beta', 'gamma']);
  const afterFirst = await entriesOf(db.store);
  for (const job of jobs) {
    const { nextRunAt, lastRunAt } = afterFirst.get(job.name)!;
    const gap = nextRunAt!.getTime() - lastRunAt!.getTime();
    t.true(gap >= 30_000 && gap < 90_000, `${job.name}: next run ${gap} ms after the last started`);
    t.is(nextRunAt!.getTime() % 60_000, Math.floor(jobPhase(job.name) * 60_000), `${job.name} is due at its phase of the minute`);
  }
  t.is(new Set(jobs.map((j) => afterFirst.get(j.name)!.nextRunAt!.getTime() % 60_000)).size, 3, 'each job has a slot of its own');

  // A change notification wakes beta: it runs now, not at its slot, and is then due at a later slot of its own.
  const woken = completed(1);
  const wokeAt = Date.now();
  t.true(await createJobWaker(db.store, () => new Date()).wake(jobs[1]!));
  await woken;
  t.deepEqual(runs.slice(3), ['beta']);
  const { nextRunAt, lastRunAt } = (await entriesOf(db.store)).get('beta')!;
  t.true(lastRunAt!.getTime() >= wokeAt && lastRunAt!.getTime() < afterFirst.get('beta')!.nextRunAt!.getTime(), 'the woken run came before its slot');
  t.is(nextRunAt!.getTime() % 60_000, Math.floor(jobPhase('beta') * 60_000));
  t.true(nextRunAt!.getTime() - lastRunAt!.getTime() >= 30_000);
});
