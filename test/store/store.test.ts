import test from 'ava';
import { isAppError } from '../../src/core/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { ensureIndexes, openStore, startDedicatedServer, startTestDatabase, withStoreErrors } from '../../src/store/index.ts';

test('writes, reads and updates documents through the embedded server', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const tickets = db.store.collection('tickets');
  await tickets.insertOne({ number: 1, subject: 'Printer on fire', createdFrom: 'm1' });
  await tickets.updateOne({ number: 1 }, { $set: { status: 'open' }, $inc: { revision: 1 } });
  const found = await tickets.findOne({ number: 1 });
  t.is(found?.subject, 'Printer on fire');
  t.is(found?.status, 'open');
  t.is(found?.revision, 1);
});

test('a unique-index violation becomes a typed STORE_DUPLICATE_KEY error', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const tickets = db.store.collection('tickets');
  await tickets.insertOne({ number: 7, createdFrom: 'a' });
  const error = await t.throwsAsync(withStoreErrors('insert ticket', () => tickets.insertOne({ number: 7, createdFrom: 'b' })));
  t.true(isAppError(error, 'STORE_DUPLICATE_KEY'));
});

test('index creation is idempotent across starts', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  await ensureIndexes(db.store.db);
  await ensureIndexes(db.store.db);
  const indexes = await db.store.collection('tickets').indexes();
  t.true(indexes.some((i) => i.name === 'number_unique' && i.unique === true));
});

test('GridFS keeps raw MIME byte for byte', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const raw = Buffer.from(`Subject: hi\r\n\r\n${'x'.repeat(300_000)}\u00e9`, 'utf8');
  const id = await new Promise<unknown>((resolve, reject) => {
    const upload = db.store.files().openUploadStream('m.eml', { metadata: { kind: 'mime' } });
    upload.on('error', reject).on('finish', () => resolve(upload.id));
    upload.end(raw);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of db.store.files().openDownloadStream(id as never)) chunks.push(chunk as Buffer);
  t.deepEqual(Buffer.concat(chunks), raw);
});

test('the client reconnects after the server restarts', async (t) => {
  const dedicated = await startDedicatedServer();
  const { port, dataDir } = dedicated.server;
  const store = await openStore({ uri: dedicated.server.uri, dbName: 'reconnect', logger: createSilentLogger(), serverSelectionTimeoutMs: 20_000 });
  t.teardown(async () => {
    await store.close();
    await dedicated.cleanup();
  });
  await store.collection('tickets').insertOne({ number: 1, createdFrom: 'x' });
  await dedicated.server.stop();
  const down = await t.throwsAsync(
    withStoreErrors('find while down', async () => {
      const client = await openStore({ uri: dedicated.server.uri, dbName: 'reconnect', logger: createSilentLogger(), serverSelectionTimeoutMs: 500 });
      await client.close();
    }),
  );
  t.true(isAppError(down, 'STORE_UNAVAILABLE'));
  const restarted = await startDedicatedServer(port, dataDir);
  t.teardown(() => restarted.cleanup());
  const again = await store.collection('tickets').findOne({ number: 1 });
  t.is(again?.createdFrom, 'x');
});
