import type { Readable } from 'node:stream';
import test from 'ava';
import { ObjectId } from 'mongodb';
import { collectionNames, openFileStream, putFiles, putFileStream, readFileBytes, readFileChunks, sha256Hex, startTestDatabase } from '../../src/store/index.ts';
import { patternedBytes } from './patterned-bytes.ts';

const meta = { filename: 'big.bin', contentType: 'application/octet-stream', kind: 'attachment' as const };
const mb = 1024 * 1024;

/** The bytes in pieces of 100 KB, as a download or a decoder hands them over. */
async function* pieces(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += 100_000) yield bytes.subarray(at, at + 100_000);
}

async function* breaking(bytes: Uint8Array, after: number): AsyncGenerator<Uint8Array> {
  yield* pieces(bytes.subarray(0, after));
  throw new Error('connection reset');
}

test('a large streamed file keeps the chunks it was written with: every reader finds it whole, its content is stored once', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const bytes = patternedBytes(3, 0, 5 * mb + 12_345);
  const first = await putFileStream(db.store, pieces(bytes), meta);
  t.true(first.created);
  t.is(first.checksum, sha256Hex(bytes));
  t.is(first.length, bytes.length);
  const file = await db.store.collection(collectionNames.fileMetadata).findOne({ _id: new ObjectId(first.fileId!) });
  const chunksId = file?.metadata?.chunksId as ObjectId;
  t.true(chunksId instanceof ObjectId && !chunksId.equals(file!._id as ObjectId), 'the chunks stay under the id they were written with');
  t.is(await db.store.collection(collectionNames.fileChunks).countDocuments({ files_id: chunksId }), 21);
  t.is(await db.store.collection(collectionNames.fileUploads).countDocuments(), 0, 'the upload record is cleared once the file is whole');

  t.deepEqual(await readFileBytes(db.store, first.fileId!), bytes);
  const read: Uint8Array[] = [];
  for await (const chunk of readFileChunks(db.store, first.fileId!)) read.push(chunk);
  t.is(sha256Hex(Buffer.concat(read)), first.checksum);
  const opened = await openFileStream(db.store, first.fileId!);
  t.is(opened?.length, bytes.length);
  const streamed: Buffer[] = [];
  for await (const chunk of opened!.stream as Readable) streamed.push(chunk as Buffer);
  t.is(sha256Hex(Buffer.concat(streamed)), first.checksum);

  // The same content again, streamed or from memory: the stored file, no new chunks.
  const again = await putFileStream(db.store, pieces(bytes), meta);
  t.deepEqual([again.fileId, again.created], [first.fileId, false]);
  t.deepEqual(await putFiles(db.store, [{ bytes, meta }]), [first.fileId!]);
  t.is(await db.store.collection(collectionNames.fileChunks).countDocuments(), 21);
  t.is(await db.store.collection(collectionNames.fileMetadata).countDocuments(), 1);
});

test('a small streamed file is stored as from memory, under its content id, and once', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const bytes = patternedBytes(4, 0, 600 * 1024);
  const streamed = await putFileStream(db.store, pieces(bytes), meta);
  t.true(streamed.created);
  t.deepEqual(await db.store.collection(collectionNames.fileChunks).distinct('files_id'), [new ObjectId(streamed.fileId!)]);
  t.deepEqual(await putFiles(db.store, [{ bytes, meta }]), [streamed.fileId!]);
  t.false((await putFileStream(db.store, pieces(bytes), meta)).created);
  t.is(await db.store.collection(collectionNames.fileChunks).countDocuments(), 3);
  t.deepEqual(await readFileBytes(db.store, streamed.fileId!), bytes);
  t.is(await db.store.collection(collectionNames.fileUploads).countDocuments(), 0, 'nothing to record: nothing was written before the end');
});

test('two writers streaming the same large content at once leave one whole file and no spare chunks', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const bytes = patternedBytes(5, 0, 4 * mb + 1);
  const [a, b] = await Promise.all([putFileStream(db.store, pieces(bytes), meta), putFileStream(db.store, pieces(bytes), meta)]);
  t.is(a.fileId, b.fileId);
  t.is([a, b].filter((file) => file.created).length, 1);
  t.is(await db.store.collection(collectionNames.fileMetadata).countDocuments(), 1);
  t.is(await db.store.collection(collectionNames.fileChunks).countDocuments(), 17);
  t.deepEqual(await readFileBytes(db.store, a.fileId!), bytes);
  t.is(await db.store.collection(collectionNames.fileUploads).countDocuments(), 0);
});

test('a stream that breaks, or grows past its limit, leaves no chunks and no upload record', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const bytes = patternedBytes(6, 0, 6 * mb);
  await t.throwsAsync(putFileStream(db.store, breaking(bytes, 5 * mb), meta), { message: 'connection reset' });
  const over = await putFileStream(db.store, pieces(bytes), meta, { maxBytes: 5 * mb });
  t.deepEqual([over.fileId, over.length, over.checksum], [null, bytes.length, sha256Hex(bytes)], 'measured and hashed, not kept');
  t.is(await db.store.collection(collectionNames.fileChunks).countDocuments(), 0);
  t.is(await db.store.collection(collectionNames.fileMetadata).countDocuments(), 0);
  t.is(await db.store.collection(collectionNames.fileUploads).countDocuments(), 0);
});

test('a file stored before streamed files named their chunks (chunks under the file id) reads as before', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  // What the earlier putFileStream left: a file document without metadata.chunksId, its chunks under its own id.
  const bytes = patternedBytes(7, 0, 300 * 1024);
  const id = new ObjectId(sha256Hex(bytes).slice(0, 24));
  await db.store.collection(collectionNames.fileChunks).insertMany([0, 1].map((n) => ({ files_id: id, n, data: Buffer.from(bytes.subarray(n * 255 * 1024, (n + 1) * 255 * 1024)) })));
  await db.store.collection(collectionNames.fileMetadata).insertOne({ _id: id, length: bytes.length, chunkSize: 255 * 1024, uploadDate: new Date(), filename: 'old.bin', metadata: { checksum: sha256Hex(bytes), contentType: 'application/octet-stream', kind: 'attachment' } });
  t.deepEqual(await readFileBytes(db.store, String(id)), bytes);
  t.is((await openFileStream(db.store, String(id)))?.length, bytes.length);
  t.false((await putFileStream(db.store, pieces(bytes), meta)).created);
});
