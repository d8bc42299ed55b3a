import { createHash } from 'node:crypto';
import { Binary, ObjectId, type Document } from 'mongodb';
import { AppError, isAppError } from '../core/index.ts';
import { collectionNames } from './collection-names.ts';
import { chunkSizeBytes, fileIdFor, storeFiles, type StoredFileMeta } from './file-store.ts';
import { mapMongoError, withStoreErrors } from './map-mongo-error.ts';
import type { Store } from './open-store.ts';
import { sweepAbandonedUploads } from './sweep-abandoned-uploads.ts';

export interface PutFileStreamOptions {
  /** The content key once the bytes are through, when the caller hashes them itself; default: sha256 of the bytes. */
  checksum?: () => string;
  /** Past this many bytes nothing is kept (what was written is removed), the rest is only counted and hashed. */
  maxBytes?: number;
}

export interface StreamedFile {
  /** Null when the content was over `maxBytes`. */
  fileId: string | null;
  checksum: string;
  length: number;
  /** False when the same content was stored already. */
  created: boolean;
}

/** Chunk documents written per insert: about 4 MB a round trip (fewer made a large file several times slower to store). */
const chunksPerWrite = 16;

/**
 * Stores a file from a stream without holding it, once per content (its id follows from its content, as `putFiles`
 * does). A file that ends within the first write's worth of chunks is stored exactly as `putFiles` stores it. A larger
 * one cannot wait for its id: its chunks are written under a provisional id, which they keep, and the file document
 * (under the content id, written last, so a reader never sees a file that is not whole) names it in
 * `metadata.chunksId`, which every reader in src/store follows. Moving the chunks to the content id instead rewrote
 * every byte once more, which made streaming a mail cost the embedded database several times what storing it from
 * memory did.
 *
 * A provisional id is recorded in `files.uploads` before its first chunk and removed once the file is whole, so the
 * chunks of a writer that crashed in between are found and removed later (sweepAbandonedUploads, run from here now
 * and then). If the stream fails, the chunks written so far are removed at once. The same content stored already: the
 * new chunks are dropped and the stored file is used.
 */
export async function putFileStream(store: Store, source: AsyncIterable<Uint8Array>, meta: StoredFileMeta, options: PutFileStreamOptions = {}): Promise<StreamedFile> {
  const chunks = store.collection(collectionNames.fileChunks);
  const uploads = store.collection(collectionNames.fileUploads);
  const hash = options.checksum ? undefined : createHash('sha256');
  const maxBytes = options.maxBytes ?? Infinity;
  // Set at the first write of chunks: until then the file is only in `pending`.
  let provisional: ObjectId | null = null;
  // The pieces of a write are reused for the next once it is done: a large file then allocates a few megabytes, not
  // its whole size in buffers the garbage collector frees late.
  const spare: Buffer[] = [];
  const take = (): Buffer => spare.pop() ?? Buffer.allocUnsafe(chunkSizeBytes);
  let piece = take();
  let filled = 0;
  let length = 0;
  let written = 0;
  // Sealed chunks not written yet: each a reused piece and how much of it is filled.
  let pending: { piece: Buffer; size: number }[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    if (!provisional) {
      provisional = new ObjectId();
      // Now and then, what crashed writers left is cleared first; a sweep that fails is tried again another time.
      await sweepAbandonedUploads(store, { onlyNowAndThen: true }).catch(() => undefined);
      await withStoreErrors('record an upload', () => uploads.insertOne({ _id: provisional as never, startedAt: new Date() }));
    }
    const batch = pending;
    pending = [];
    const first = written - batch.length;
    const docs: Document[] = batch.map(({ piece: data, size }, i) => ({ _id: new ObjectId(), files_id: provisional, n: first + i, data: new Binary(data.subarray(0, size)) }));
    await withStoreErrors('store file chunks', () => chunks.insertMany(docs, { ordered: true }));
    spare.push(...batch.map(({ piece: data }) => data));
  };
  const seal = async (): Promise<void> => {
    if (filled === 0) return;
    pending.push({ piece, size: filled });
    written += 1;
    piece = take();
    filled = 0;
    if (pending.length >= chunksPerWrite) await flush();
  };
  const drop = async (): Promise<void> => {
    pending = [];
    if (!provisional) return;
    const id = provisional;
    await withStoreErrors('remove unfinished file chunks', () => chunks.deleteMany({ files_id: id }));
    await withStoreErrors('remove an upload record', () => uploads.deleteOne({ _id: id as never }));
  };
  let over = false;
  try {
    for await (const data of source) {
      hash?.update(data);
      length += data.byteLength;
      if (over) continue;
      if (length > maxBytes) {
        over = true;
        await drop();
        continue;
      }
      for (let at = 0; at < data.byteLength;) {
        const count = Math.min(chunkSizeBytes - filled, data.byteLength - at);
        piece.set(data.subarray(at, at + count), filled);
        filled += count;
        at += count;
        if (filled === chunkSizeBytes) await seal();
      }
    }
    if (!over) await seal();
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  const checksum = options.checksum ? options.checksum() : hash!.digest('hex');
  if (over) return { fileId: null, checksum, length, created: false };
  if (!provisional) {
    // Small enough to have stayed in memory: stored as from memory, under its content id.
    const [stored] = await storeFiles(store, [{ bytes: Buffer.concat(pending.map(({ piece: data, size }) => data.subarray(0, size))), meta, checksum }]);
    return { fileId: stored!.id, checksum, length, created: stored!.created };
  }
  try {
    await flush();
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return finish(store, provisional, meta, checksum, length, written);
}

/** Writes the file document naming the provisional chunks, unless the content is stored already. */
async function finish(store: Store, chunksId: ObjectId, meta: StoredFileMeta, checksum: string, length: number, count: number): Promise<StreamedFile> {
  const files = store.collection(collectionNames.fileMetadata);
  const chunks = store.collection(collectionNames.fileChunks);
  const uploads = store.collection(collectionNames.fileUploads);
  const id = fileIdFor(checksum);
  const dropChunks = async (): Promise<void> => {
    await withStoreErrors('remove unneeded file chunks', () => chunks.deleteMany({ files_id: chunksId }));
    await withStoreErrors('remove an upload record', () => uploads.deleteOne({ _id: chunksId as never }));
  };
  const existing = await withStoreErrors('find stored files', () => files.findOne({ _id: id }, { projection: { _id: 1 } }));
  if (existing) {
    await dropChunks();
    return { fileId: String(id), checksum, length, created: false };
  }
  try {
    await files.insertOne({
      _id: id, length, chunkSize: chunkSizeBytes, uploadDate: new Date(), filename: meta.filename || 'unnamed',
      metadata: { checksum, contentType: meta.contentType, kind: meta.kind, chunksId },
    });
  } catch (error) {
    const mapped = mapMongoError(error, 'store files');
    if (!isAppError(mapped, 'STORE_DUPLICATE_KEY')) throw mapped;
    // Another writer finished the same content first: its file is whole, and these chunks are not needed.
    await dropChunks();
    return { fileId: String(id), checksum, length, created: false };
  }
  const recorded = await withStoreErrors('remove an upload record', () => uploads.deleteOne({ _id: chunksId as never }));
  if (recorded.deletedCount === 0) {
    // The sweep took this upload for abandoned (it stalled past the sweep's age) and may have removed its chunks:
    // a file that is not whole must not stay.
    const left = await withStoreErrors('count file chunks', () => chunks.countDocuments({ files_id: chunksId }));
    if (left !== count) {
      await withStoreErrors('remove an incomplete file', () => files.deleteOne({ _id: id, 'metadata.chunksId': chunksId }));
      await withStoreErrors('remove unfinished file chunks', () => chunks.deleteMany({ files_id: chunksId }));
      throw new AppError('STORE_ERROR', `storing file ${String(id)} took so long that its chunks were swept as abandoned; store it again`, { details: { fileId: String(id) } });
    }
  }
  return { fileId: String(id), checksum, length, created: true };
}
