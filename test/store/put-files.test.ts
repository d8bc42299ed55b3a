import test from 'ava';
import { putFile, putFiles, readFileBytes, sha256Hex, startTestDatabase } from '../../src/store/index.ts';

const meta = { filename: 'a.bin', contentType: 'application/octet-stream', kind: 'attachment' as const };

test('putFiles stores each content once, in one call and across calls, and reads back byte for byte', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const big = new Uint8Array(600 * 1024).map((_, i) => i % 251);
  const small = new TextEncoder().encode('Subject: hi\r\n\r\nbody');
  const ids = await putFiles(db.store, [{ bytes: small, meta }, { bytes: big, meta }, { bytes: small, meta, checksum: sha256Hex(small) }]);
  t.is(ids.length, 3);
  t.is(ids[0], ids[2]);
  t.not(ids[0], ids[1]);
  t.deepEqual(await readFileBytes(db.store, ids[1]!), big);
  t.deepEqual(await readFileBytes(db.store, ids[0]!), small);
  t.is(await putFile(db.store, big, meta), ids[1]!);
  t.is(await db.store.collection('files.files').countDocuments(), 2);
  // 600 KiB in 255 KiB chunks, as a GridFS upload stream would write them.
  t.is(await db.store.collection('files.chunks').countDocuments(), 4);
  t.deepEqual(await putFiles(db.store, []), []);
});

test('two writers storing the same content at once leave one complete file', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const big = new Uint8Array(300 * 1024).map((_, i) => (i * 7) % 253);
  const [a, b] = await Promise.all([putFiles(db.store, [{ bytes: big, meta }]), putFiles(db.store, [{ bytes: big, meta }])]);
  t.is(a![0], b![0]);
  t.is(await db.store.collection('files.files').countDocuments(), 1);
  t.is(await db.store.collection('files.chunks').countDocuments(), 2);
  t.deepEqual(await readFileBytes(db.store, a![0]!), big);
});

test('a file whose chunks were written but not its file document (a crash in between) is completed by the next put', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const bytes = new Uint8Array(400 * 1024).map((_, i) => i % 239);
  const [id] = await putFiles(db.store, [{ bytes, meta }]);
  await db.store.collection('files.files').deleteMany({});
  t.is(await putFile(db.store, bytes, meta), id!);
  t.is(await db.store.collection('files.files').countDocuments(), 1);
  t.is(await db.store.collection('files.chunks').countDocuments(), 2);
  t.deepEqual(await readFileBytes(db.store, id!), bytes);
});
