import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { MongoClient } from 'mongodb';
import { startDedicatedServer } from '../../src/store/index.ts';
import { writeLegacyFile } from './legacy-h2/write-legacy-file.ts';

const keyOf = (i: number): string => `k${(i * 7919) % 2000}`;

test('a data file written with the old index order is reordered on first open: lookups and unique keys keep working', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'mailroom-legacy-db-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  await writeLegacyFile(dataDir, async (client) => {
    const items = client.db('legacy').collection('items');
    await items.createIndex({ key: 1 }, { unique: true });
    await items.insertMany(Array.from({ length: 2000 }, (_, i) => ({ _id: `id${i}` as never, key: keyOf(i), n: i })));
  });
  for (const round of [1, 2]) {
    // Twice: the reordering happens once and the second open finds it done.
    const { server, cleanup } = await startDedicatedServer(undefined, dataDir);
    const client = await new MongoClient(server.uri, { directConnection: true }).connect();
    try {
      const items = client.db('legacy').collection('items');
      let found = 0;
      for (let i = 0; i < 2000; i += 41) if ((await items.findOne({ key: keyOf(i) }))?.n === i) found += 1;
      t.is(found, Math.ceil(2000 / 41), `round ${round}: every sampled key is found through the unique index`);
      t.is((await items.find({ _id: { $in: ['id0', 'id1999', `id${round * 500}`] as never[] } }).toArray()).length, 3);
      const duplicate = await items.insertOne({ _id: `dup${round}` as never, key: keyOf(7) }).then(() => null, (error: { code?: number }) => error.code);
      t.is(duplicate, 11000, `round ${round}: an existing key is still refused`);
      await items.insertOne({ _id: `new${round}` as never, key: `fresh-${round}` });
      t.is(await items.countDocuments(), 2000 + round);
    } finally {
      await client.close();
      await server.stop();
    }
    if (round === 2) await cleanup();
  }
});
