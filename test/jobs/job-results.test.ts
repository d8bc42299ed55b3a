import test from 'ava';
import { createJobResults } from '../../src/jobs/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';

const clock = (): Date => new Date();

test('a run keeps every item line in order across many flushes, while its own record stays small', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const results = createJobResults(db.store, clock);
  const run = await results.start('support-inbox', 'mail');
  for (let i = 0; i < 450; i += 1) {
    run.addItem({ key: `m${i}`, outcome: 'created', subject: `mail ${i}` });
    run.count('created');
    if (i % 20 === 19) await run.flush();
  }
  const finished = await run.finish({});
  t.is(finished.items.length, 450);
  t.deepEqual(finished.items.map((i) => i.key), Array.from({ length: 450 }, (_, i) => `m${i}`));
  t.is(finished.counts.created, 450);
  const raw = await db.store.db.collection('job_runs').findOne({ _id: run.id as never });
  t.is(raw?.items, undefined, 'item lines are not in the run record');
  t.deepEqual((await results.get(run.id)).items, finished.items);
  const [listed] = await results.list({ job: 'support-inbox' });
  t.is(listed?._id, run.id);
  t.false('items' in (listed ?? {}), 'a listing carries no item lines');
});

test('a run recorded with its items inline (before they moved to pages) still shows them', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  await db.store.db.collection('job_runs').insertOne({
    _id: 'old-run' as never, job: 'j', type: 'mail', worker: null, startedAt: new Date(), endedAt: new Date(), status: 'succeeded',
    counts: { created: 1 }, graph: { requests: 1, operations: 1 }, items: [{ key: 'k', outcome: 'created' }], itemsOmitted: 0, error: null, notes: [],
  });
  const run = await createJobResults(db.store, clock).get('old-run');
  t.deepEqual(run.items, [{ key: 'k', outcome: 'created' }]);
});

test('an automatic flush and an explicit one at the same moment lose and duplicate no line', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const run = await createJobResults(db.store, clock).start('j', 'mail');
  // The 200th line starts a flush in the background; the explicit flush right after must wait for it.
  for (let i = 0; i < 205; i += 1) run.addItem({ key: `k${i}`, outcome: 'created' });
  await run.flush();
  const finished = await run.finish({});
  t.deepEqual(finished.items.map((i) => i.key), Array.from({ length: 205 }, (_, i) => `k${i}`));
});

test('prune removes finished runs older than the cut-off with their item pages, and keeps newer and running ones', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  let now = new Date('2026-01-01T00:00:00Z');
  const results = createJobResults(db.store, () => now);
  const old = await results.start('j', 'mail');
  for (let i = 0; i < 60; i += 1) {
    old.addItem({ key: `o${i}`, outcome: 'created' });
    if (i === 29) await old.flush();
  }
  await old.finish({});
  const stillRunning = await results.start('j', 'mail');
  // A run's record is written with its first progress.
  stillRunning.addItem({ key: 's', outcome: 'created' });
  await stillRunning.flush();
  now = new Date('2026-03-01T00:00:00Z');
  const recent = await results.start('j', 'mail');
  recent.addItem({ key: 'r', outcome: 'created' });
  await recent.finish({});
  const removed = await results.prune(new Date('2026-02-01T00:00:00Z'));
  t.deepEqual(removed, { runs: 1, itemPages: 2 });
  t.deepEqual((await results.list()).map((r) => r._id).sort(), [stillRunning.id, recent.id].sort());
  t.is(await db.store.db.collection('job_run_items').countDocuments({ run: old.id }), 0);
  t.deepEqual((await results.get(recent.id)).items.map((i) => i.key), ['r']);
});
