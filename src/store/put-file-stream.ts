import { createHash } from 'node:crypto';
import { Binary, ObjectId, type Document } from 'mongodb';
import { isAppError } from '../core/index.ts';
import { collectionNames } from './collection-names.ts';
import { chunkSizeBytes, fileIdFor, type StoredFileMeta } from './file-store.ts';
import { mapMongoError, withStoreErrors } from './map-mongo-error.ts';
import type { Store } from './open-store.ts';

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
 * Stores a file from a stream without holding it: its id follows from its content (as `putFiles` does) but is known
 * only at the end, so the chunks are written under a provisional id and moved to the final one once all are there;
 * the file document comes last, so a reader never sees a file that is not whole. If the stream fails, the chunks
 * written so far are removed; after a crash they stay behind with no file document, referenced by nothing.
 * The same content stored already: the new chunks are dropped and the stored file is used.
 */
export async function putFileStream(store: Store, source: AsyncIterable<Uint8Array>, meta: StoredFileMeta, options: PutFileStreamOptions = {}): Promise<StreamedFile> {
  const chunks = store.collection(collectionNames.fileChunks);
  const provisional = new ObjectId();
  const hash = options.checksum ? undefined : createHash('sha256');
  const maxBytes = options.maxBytes ?? Infinity;
  // The pieces of a write are reused for the next once it is done: a large file then allocates a few megabytes, not
  // its whole size in buffers the garbage collector frees late.
  const spare: Buffer[] = [];
  const take = (): Buffer => spare.pop() ?? Buffer.allocUnsafe(chunkSizeBytes);
  let piece = take();
  let filled = 0;
  let length = 0;
  let written = 0;
  let pending: Document[] = [];
  let pendingPieces: Buffer[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const docs = pending;
    const pieces = pendingPieces;
    pending = [];
    pendingPieces = [];
    await withStoreErrors('store file chunks', () => chunks.insertMany(docs, { ordered: true }));
    spare.push(...pieces);
  };
  const seal = async (): Promise<void> => {
    if (filled === 0) return;
    pending.push({ _id: new ObjectId(), files_id: provisional, n: written, data: new Binary(piece.subarray(0, filled)) });
    pendingPieces.push(piece);
    written += 1;
    piece = take();
    filled = 0;
    if (pending.length >= chunksPerWrite) await flush();
  };
  const drop = (): Promise<unknown> => withStoreErrors('remove unfinished file chunks', () => chunks.deleteMany({ files_id: provisional }));
  let over = false;
  try {
    for await (const data of source) {
      hash?.update(data);
      length += data.byteLength;
      if (over) continue;
      if (length > maxBytes) {
        over = true;
        pending = [];
        pendingPieces = [];
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
    if (!over) {
      await seal();
      await flush();
    }
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  const checksum = options.checksum ? options.checksum() : hash!.digest('hex');
  if (over) return { fileId: null, checksum, length, created: false };
  const id = fileIdFor(checksum);
  const files = store.collection(collectionNames.fileMetadata);
  const existing = await withStoreErrors('find stored files', () => files.findOne({ _id: id }, { projection: { _id: 1 } }));
  if (existing) {
    await drop();
    return { fileId: String(id), checksum, length, created: false };
  }
  await adoptChunks(store, provisional, id, written);
  try {
    await files.insertOne({
      _id: id, length, chunkSize: chunkSizeBytes, uploadDate: new Date(), filename: meta.filename || 'unnamed',
      metadata: { checksum, contentType: meta.contentType, kind: meta.kind },
    });
  } catch (error) {
    // Another writer finished the same content first: its document describes the same chunks.
    if (!isAppError(mapMongoError(error, 'store files'), 'STORE_DUPLICATE_KEY')) throw mapMongoError(error, 'store files');
  }
  return { fileId: String(id), checksum, length, created: true };
}

/**
 * Moves the provisional chunks to the file's id in one update. If another writer is storing the same content at the
 * same moment, some pieces exist under the final id already (unique files_id + n): then each piece is moved on its
 * own where it is still missing, so the file is whole whoever wrote which piece, and the rest is removed.
 */
async function adoptChunks(store: Store, provisional: ObjectId, id: ObjectId, count: number): Promise<void> {
  const chunks = store.collection(collectionNames.fileChunks);
  const duplicate = (error: unknown): boolean => isAppError(mapMongoError(error, 'store file chunks'), 'STORE_DUPLICATE_KEY');
  try {
    await chunks.updateMany({ files_id: provisional }, { $set: { files_id: id } });
    return;
  } catch (error) {
    if (!duplicate(error)) throw mapMongoError(error, 'store file chunks');
  }
  for (let n = 0; n < count; n += 1) {
    try {
      await chunks.updateOne({ files_id: provisional, n }, { $set: { files_id: id } });
    } catch (error) {
      if (!duplicate(error)) throw mapMongoError(error, 'store file chunks');
    }
  }
  await withStoreErrors('remove unfinished file chunks', () => chunks.deleteMany({ files_id: provisional }));
}

