import test from 'ava';
import { createJobLocks, createJobResults, runJobWithLock, type JobRunSummary } from '../../src/jobs/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { openStore, startTestDatabase } from '../../src/store/index.ts';
import { countCommands } from '../bench/measure/command-counter.ts';

const job = { name: 'support', type: 'mail' };

test('an empty run writes its record once, at its end; while it runs, its lease shows it as running', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const store = await openStore({ uri: db.uri, dbName: db.dbName, logger: createSilentLogger(), monitorCommands: true });
  t.teardown(() => store.close());
  const commands = countCommands(store);
  const results = createJobResults(store, () => new Date());
  const observer = createJobResults(db.store, () => new Date());
  let during: JobRunSummary[] = [];
  let storedDuring = -1;
  const record = await runJobWithLock(job, async () => {
    during = await observer.list({ job: 'support' });
    storedDuring = await db.store.db.collection('job_runs').countDocuments({});
  }, { results, locks: createJobLocks(store, () => new Date()), logger: createSilentLogger(), worker: 'w1' });
  t.is(storedDuring, 0, 'nothing written at the start');
  t.like(during[0], { _id: record._id, job: 'support', type: 'mail', worker: 'w1', status: 'running' });
  t.like(record, { status: 'succeeded', job: 'support', type: 'mail', worker: 'w1', endedAt: record.endedAt });
  t.true(record.startedAt <= record.endedAt!);
  t.deepEqual(commands.byCollection(), { 'findAndModify job_locks': 1, 'findAndModify job_runs': 1, 'delete job_locks': 1 }, 'lease, the record in one write, release');
  t.like(await observer.get(record._id), { status: 'succeeded' });
});

test('a run that died before writing its record is stored as interrupted: once its lease lapses, or when the next run takes the lease over', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  let now = new Date('2026-01-01T00:00:00Z');
  const clock = (): Date => now;
  const locks = createJobLocks(db.store, clock);
  const results = createJobResults(db.store, clock);
  // A process took the lease for run dead-1 and was killed before the run wrote anything.
  t.truthy(await locks.acquire('support', { lifetimeMs: 1000, run: 'dead-1', type: 'mail', worker: 'w1' }));
  t.like((await results.list({ job: 'support' }))[0], { _id: 'dead-1', status: 'running' }, 'while its lease lasts it may still be alive');
  t.like(await results.get('dead-1'), { status: 'running', items: [] });
  now = new Date(now.getTime() + 1000);
  t.like((await results.list({ job: 'support' }))[0], { _id: 'dead-1', status: 'interrupted', worker: 'w1', type: 'mail', error: { code: 'JOB_ABORTED' } });
  t.like(await db.store.db.collection('job_runs').findOne({ _id: 'dead-1' as never }), { status: 'interrupted' }, 'stored so, not only shown');

  // Another dies the same way; the next run takes its lapsed lease over before anyone listed the runs.
  now = new Date(now.getTime() + 60_000);
  t.truthy(await locks.acquire('support', { lifetimeMs: 1000, run: 'dead-2', type: 'mail', worker: 'w2' }));
  now = new Date(now.getTime() + 1000);
  const next = await runJobWithLock(job, async () => undefined, { results, locks, logger: createSilentLogger() });
  t.like(await db.store.db.collection('job_runs').findOne({ _id: 'dead-2' as never }), { status: 'interrupted', worker: 'w2', startedAt: new Date('2026-01-01T00:01:01Z') });
  t.deepEqual((await results.list({ job: 'support' })).map((r) => [r._id, r.status]), [[next._id, 'succeeded'], ['dead-2', 'interrupted'], ['dead-1', 'interrupted']]);
});

test('a finished run whose process died before releasing its lease stays finished', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  let now = new Date('2026-01-01T00:00:00Z');
  const results = createJobResults(db.store, () => now);
  const lock = await createJobLocks(db.store, () => now).acquire('support', { lifetimeMs: 1000, run: 'done-1', type: 'mail' });
  const run = await results.start('support', 'mail', null, { id: 'done-1', lockOwner: lock!.owner });
  await run.finish({});
  now = new Date(now.getTime() + 5000);
  await results.recordInterrupted((await db.store.collection<{ _id: string; owner: string; run: string | null; worker: string | null; since: Date; until: Date }>('job_locks').findOne({ _id: 'support' }))!);
  t.is((await results.get('done-1')).status, 'succeeded');
});
