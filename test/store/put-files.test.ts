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
