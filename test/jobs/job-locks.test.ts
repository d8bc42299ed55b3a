import test from 'ava';
import { createJobLocks } from '../../src/jobs/index.ts';
import { openStore, startTestDatabase } from '../../src/store/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';

test('of eight clients racing for a free job lock over separate connections, exactly one wins', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  for (let round = 0; round < 5; round += 1) {
    const job = `job-${round}`;
    const stores = await Promise.all(Array.from({ length: 8 }, () => openStore({ uri: db.uri, dbName: db.dbName, logger: createSilentLogger() })));
    const won = await Promise.all(stores.map((store) => createJobLocks(store, () => new Date()).acquire(job, { lifetimeMs: 60_000 })));
    await Promise.all(stores.map((store) => store.close()));
    t.is(won.filter((lock) => lock !== null).length, 1, `round ${round}`);
  }
});

test('a held lock refuses others until it is released or lapses; a lapsed holder learns it lost the lock', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  let now = new Date('2026-01-01T00:00:00Z');
  const locks = createJobLocks(db.store, () => now);
  const first = await locks.acquire('j', { lifetimeMs: 1000, worker: 'one' });
  t.truthy(first);
  t.is(await locks.acquire('j', { lifetimeMs: 1000 }), null);
  t.is((await locks.holder('j'))?.worker, 'one');
  await first!.release();
  const second = await locks.acquire('j', { lifetimeMs: 1000, worker: 'two' });
  t.truthy(second, 'free again after release');
  now = new Date(now.getTime() + 1000);
  t.is(await locks.holder('j'), null, 'lapsed');
  const third = await locks.acquire('j', { lifetimeMs: 1000, worker: 'three' });
  t.truthy(third, 'a lapsed lease is taken over');
  t.false(await second!.refresh(), 'the old holder cannot refresh what it lost');
  await second!.release();
  t.is((await locks.holder('j'))?.worker, 'three', "the old holder's release leaves the new lease alone");
  t.true(await third!.refresh());
});
