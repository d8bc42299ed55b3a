import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import test from 'ava';
import { ObjectId } from 'mongodb';
import { collectionNames, putFiles, putFileStream, readFileBytes, startTestDatabase, sweepAbandonedUploads, type TestDatabase } from '../../src/store/index.ts';
import { patternedBytes } from './patterned-bytes.ts';

const meta = { filename: 'f.bin', contentType: 'application/octet-stream', kind: 'attachment' as const };

/** Runs test/store/stream-file-child.ts streaming a 12 MB file and SIGKILLs it once it reports its k-th write of chunks. */
async function killStreamAfterChunkWrite(db: TestDatabase, k: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/store/stream-file-child.ts'], {
    env: { ...process.env, DB_URI: db.uri, DB_NAME: db.dbName, FILE_MB: '12', SEED: '9' }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === `chunks written ${k}`) {
      child.kill('SIGKILL');
      break;
    }
    if (line.startsWith('done')) throw new Error(`the child finished before its write ${k} of chunks`);
  }
  if ((await exited) !== 'SIGKILL') throw new Error('the child was not killed mid-upload');
}

test('chunks of a streamed upload killed at its k-th write are swept once old enough; finished files are never touched', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const chunks = db.store.collection(collectionNames.fileChunks);
  // Files that must survive every sweep: one from memory, one streamed, and one streamed whose upload record stayed
  // behind (its writer stopped between its file document and clearing the record).
  const small = patternedBytes(1, 0, 400 * 1024);
  const [fromMemory] = await putFiles(db.store, [{ bytes: small, meta }]);
  async function* big(): AsyncGenerator<Uint8Array> {
    yield patternedBytes(2, 0, 5 * 1024 * 1024);
  }
  const streamed = await putFileStream(db.store, big(), meta);
  const lingering = await putFileStream(db.store, (async function* () { yield patternedBytes(3, 0, 4.5 * 1024 * 1024); })(), meta);
  const lingeringChunks = (await db.store.collection(collectionNames.fileMetadata).findOne({ _id: new ObjectId(lingering.fileId!) }))?.metadata?.chunksId as ObjectId;
  const kept = await chunks.countDocuments();
  // An upload abandoned long ago: the child's first write of chunks sweeps it, as every writer does now and then.
  const ancient = new ObjectId();
  await chunks.insertOne({ files_id: ancient, n: 0, data: Buffer.from('left over') });
  await db.store.collection(collectionNames.fileUploads).insertOne({ _id: ancient as never, startedAt: new Date(0) });

  await killStreamAfterChunkWrite(db, 2);
  t.is(await chunks.countDocuments({ files_id: ancient }), 0, 'the writer swept the ancient upload');
  const left = await chunks.countDocuments() - kept;
  t.is(left, 32, 'two writes of 16 chunks were acknowledged before the kill');
  t.is(await db.store.collection(collectionNames.fileUploads).countDocuments(), 1, 'the killed upload is recorded');
  // Recorded after the child ran: its own first write swept old records, as every writer's does now and then.
  await db.store.collection(collectionNames.fileUploads).insertOne({ _id: lingeringChunks as never, startedAt: new Date(0) });

  t.deepEqual(await sweepAbandonedUploads(db.store), { uploads: 1, chunks: 0 }, 'a fresh upload is left alone; an old record of a finished file only goes itself');
  t.is(await chunks.countDocuments(), kept + left);
  t.deepEqual(await sweepAbandonedUploads(db.store, { olderThanMs: 0, now: Date.now() + 1000 }), { uploads: 1, chunks: left });
  t.is(await chunks.countDocuments(), kept, 'only the abandoned chunks went');
  t.is(await db.store.collection(collectionNames.fileUploads).countDocuments(), 0);
  t.deepEqual(await readFileBytes(db.store, fromMemory!), small);
  t.is((await readFileBytes(db.store, streamed.fileId!)).length, 5 * 1024 * 1024);
  t.is((await readFileBytes(db.store, lingering.fileId!)).length, 4.5 * 1024 * 1024);
  t.deepEqual(await sweepAbandonedUploads(db.store, { olderThanMs: 0, now: Date.now() + 1000 }), { uploads: 0, chunks: 0 });
});
