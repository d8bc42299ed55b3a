import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { Binary, BSON, Decimal128, Double, Int32, Long, MongoClient, ObjectId, type Document } from 'mongodb';
import { startDedicatedServer } from '../../src/store/index.ts';
import { writeLegacyFile } from './legacy-h2/write-legacy-file.ts';

/** Documents with every BSON type Mailroom stores, as the driver sends them (no number promotion on the way back). */
function sample(id: string, n: number): Document {
  return {
    _id: id, text: `héllo ${n}`, int: new Int32(n), long: Long.fromNumber(2 ** 40 + n), double: new Double(n + 0.5), yes: n % 2 === 0, nothing: null,
    at: new Date(Date.UTC(2026, 11, 1, 12, n % 60)), oid: new ObjectId(n.toString(16).padStart(24, '0')), bytes: new Binary(Buffer.alloc(40 + n, n % 256)),
    nested: { list: [new Int32(1), 'two', { three: new Double(3.25) }], empty: {} }, decimal: Decimal128.fromString(`1.${n}0`),
  };
}

const canonical = (docs: Document[]): string => BSON.EJSON.stringify(docs, { relaxed: false });

async function readAll(uri: string): Promise<Document[]> {
  const client = await new MongoClient(uri, { directConnection: true }).connect();
  try {
    return await client.db('legacy').collection('docs').find({}, { sort: { _id: 1 }, promoteValues: false, promoteLongs: false }).toArray();
  } finally {
    await client.close();
  }
}

test('documents written Java-serialized by the stock backend read back exactly, and so do their updates and new ones, written as BSON', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'mailroom-legacy-db-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const old = Array.from({ length: 60 }, (_, i) => sample(`old-${String(i).padStart(2, '0')}`, i));
  await writeLegacyFile(dataDir, async (client) => {
    await client.db('legacy').collection('docs').insertMany(old);
  });
  const expected = old.map((doc) => ({ ...doc }));

  const first = await startDedicatedServer(undefined, dataDir);
  t.teardown(() => first.server.stop());
  t.deepEqual(canonical(await readAll(first.server.uri)), canonical(expected), 'the stock backend\'s documents read as written');
  const client = await new MongoClient(first.server.uri, { directConnection: true }).connect();
  t.teardown(() => client.close());
  const docs = client.db('legacy').collection('docs');
  // Some pages now hold both kinds until they are written again.
  await docs.updateOne({ _id: 'old-07' as never }, { $set: { text: 'changed', 'nested.added': new Int32(7) } });
  (expected[7]!.nested as Document).added = new Int32(7);
  expected[7]!.text = 'changed';
  const fresh = Array.from({ length: 5 }, (_, i) => sample(`new-${i}`, 100 + i));
  await docs.insertMany(fresh.map((doc) => ({ ...doc })));
  await docs.deleteOne({ _id: 'old-30' as never });
  expected.splice(30, 1);
  expected.push(...fresh);
  expected.sort((a, b) => String(a._id).localeCompare(String(b._id)));
  t.deepEqual(canonical(await readAll(first.server.uri)), canonical(expected));
  await client.close();
  await first.server.stop();

  const second = await startDedicatedServer(undefined, dataDir);
  t.teardown(() => second.cleanup());
  t.deepEqual(canonical(await readAll(second.server.uri)), canonical(expected), 'after a restart: old, changed and new documents alike');
});
