import test from 'ava';
import { startTestDatabase } from '../../src/store/index.ts';

// The embedded server answers a query fixing the leading fields of a compound unique index from that index (the GridFS
// chunks of one file: `{files_id}` on `{files_id, n}`); these are the answers MongoDB gives, whichever way it is found.
test('queries fixing a prefix of a compound unique index find, update and delete exactly the matching documents', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const items = db.store.db.collection('prefix_items');
  await items.createIndex({ a: 1, b: 1 }, { unique: true });
  await items.insertMany([
    { _id: 'x1' as never, a: 'x', b: 1 }, { _id: 'y1' as never, a: 'y', b: 1 }, { _id: 'x2' as never, a: 'x', b: 2 },
    { _id: 'int' as never, a: 1, b: 1 }, { _id: 'double' as never, a: 1.5, b: 1 }, { _id: 'long' as never, a: 1.0, b: 2 },
    { _id: 'array' as never, a: ['z', 'x'], b: 3 }, { _id: 'null' as never, a: null, b: 5 }, { _id: 'missing' as never, b: 6 },
    { _id: 'doc' as never, a: { k: 1 }, b: 1 }, { _id: 'w' as never, a: 'w', b: 1 },
  ]);
  const ids = async (filter: object): Promise<string[]> => (await items.find(filter, { sort: { b: 1, _id: 1 } }).toArray()).map((doc) => String(doc._id));

  t.deepEqual(await ids({ a: 'x' }), ['x1', 'x2', 'array'], 'a range of the index, and the array holding the value');
  t.deepEqual(await ids({ a: 'z' }), ['array']);
  t.deepEqual(await ids({ a: 1 }), ['int', 'long'], '1 and 1.0 are one value');
  t.deepEqual(await ids({ a: 'v' }), [], 'a value between two stored ones');
  t.deepEqual(await ids({ a: null }), ['null', 'missing']);
  t.deepEqual(await ids({ a: { k: 1 } }), ['doc']);
  t.deepEqual(await ids({ a: 'x', c: 1 }), [], 'a field outside the index narrows the match');
  t.deepEqual(await ids({ a: 'x', b: 2 }), ['x2']);
  t.is(await items.countDocuments({ a: 'x' }), 3);

  t.is((await items.updateMany({ a: 'x' }, { $set: { seen: true } })).modifiedCount, 3);
  t.deepEqual(await ids({ seen: true }), ['x1', 'x2', 'array']);
  t.is((await items.deleteMany({ a: 'y' })).deletedCount, 1);
  t.deepEqual(await ids({ a: 'y' }), []);
  t.deepEqual(await ids({ a: 'w' }), ['w'], 'the neighbour of a removed range stays');
  // The index keeps refusing a duplicate pair after the prefix updates.
  const duplicate = await items.insertOne({ _id: 'again' as never, a: 'x', b: 1 }).then(() => null, (error: { code?: number }) => error.code);
  t.is(duplicate, 11000);
});
