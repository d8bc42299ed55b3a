import test from 'ava';
import { createSilentLogger } from '../../src/log/index.ts';
import { openStore, startDedicatedServer } from '../../src/store/index.ts';

test('every write the embedded server acknowledged survives a SIGKILL of the server right after', async (t) => {
  const first = await startDedicatedServer();
  const { dataDir } = first;
  t.teardown(() => first.cleanup());
  const store = await openStore({ uri: first.server.uri, dbName: 'durable', logger: createSilentLogger() });
  const tickets = store.collection('tickets');
  await tickets.insertOne({ number: 1, createdFrom: 'one' });
  await tickets.insertMany([{ number: 2, createdFrom: 'two' }, { number: 3, createdFrom: 'three' }]);
  await tickets.updateOne({ number: 1 }, { $set: { status: 'closed' } });
  await store.collection('counters').findOneAndUpdate({ _id: 'ticket' as never }, { $inc: { seq: 5 } }, { upsert: true });
  await tickets.deleteOne({ number: 3 });
  // No pause, no clean shutdown: what was acknowledged must already be on disk.
  process.kill(first.server.pid, 'SIGKILL');
  await store.close().catch(() => undefined);

  const second = await startDedicatedServer(undefined, dataDir);
  t.teardown(() => second.server.stop());
  const again = await openStore({ uri: second.server.uri, dbName: 'durable', logger: createSilentLogger() });
  t.teardown(() => again.close());
  const found = await again.collection('tickets').find({}, { projection: { _id: 0 } }).sort({ number: 1 }).toArray();
  t.deepEqual(found, [{ number: 1, createdFrom: 'one', status: 'closed' }, { number: 2, createdFrom: 'two' }]);
  t.like(await again.collection('counters').findOne({ _id: 'ticket' as never }), { seq: 5 });
});
