import { createHash } from 'node:crypto';
import { Binary, ObjectId, type Document } from 'mongodb';
import { collectionNames, type CollectionName } from './collection-names.ts';
import { isOnlyDuplicateKeys, mapMongoError, withStoreErrors } from './map-mongo-error.ts';
import { readFileChunks } from './read-file-chunks.ts';
import type { Store } from './open-store.ts';

export interface StoredFileMeta {
  filename: string;
  contentType: string;
  /** What the file is, for people browsing the bucket: raw MIME or an attachment. */
  kind: 'mime' | 'attachment';
}

export interface FileToStore {
  bytes: Uint8Array;
  meta: StoredFileMeta;
  /** sha256 hex of bytes; computed when absent. */
  checksum?: string;
}

/** GridFS's default chunk size (255 KiB), so files we write read like any driver's. */
export const chunkSizeBytes = 255 * 1024;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A file's id follows from its content (the first 96 bits of its sha256), so "is it stored already?" is a lookup by
 * _id, which every server answers from its primary index (a secondary index on the checksum is not used by every
 * embedded server: mongo-java-server scans the collection, which made each lookup slower as the bucket grew).
 * 96 bits leave a collision among 2^48 distinct files as the first one likely.
 */
export function fileIdFor(checksum: string): ObjectId {
  return new ObjectId(checksum.slice(0, 24));
}

/** Inserts, treating "already there" as success: the documents are derived from content, so theirs equal ours. */
async function insertAllOnce(store: Store, collection: CollectionName, docs: Document[], operation: string): Promise<void> {
  if (docs.length === 0) return;
  try {
    await store.collection(collection).insertMany(docs, { ordered: false });
  } catch (error) {
    if (!isOnlyDuplicateKeys(error)) throw mapMongoError(error, operation);
  }
}

/**
 * Stores many files in GridFS, each once per content: one lookup by id finds the contents already stored, then the
 * new ones are written with one insert of all their chunks and one of their file documents (the GridFS layout, so
 * `openDownloadStream` reads them). Chunks go first: a file document only ever exists with all its chunks, and a
 * crash in between leaves chunks that the retry finds in place (unique files_id + n). Two writers storing the same
 * content race harmlessly: both write the same documents and the unique indexes keep one. Returns file ids (strings)
 * in input order; equal contents share one file.
 */
export async function putFiles(store: Store, files: readonly FileToStore[]): Promise<string[]> {
  return (await storeFiles(store, files)).map((file) => file.id);
}

/** `putFiles`, also saying of each file whether this call stored it (false: the same content was there already). */
export async function storeFiles(store: Store, files: readonly FileToStore[]): Promise<{ id: string; created: boolean }[]> {
  if (files.length === 0) return [];
  const checksums = files.map((file) => file.checksum ?? sha256Hex(file.bytes));
  const ids = [...new Set(checksums)].map(fileIdFor);
  const existing = await withStoreErrors('find stored files', () =>
    store.collection(collectionNames.fileMetadata).find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray(),
  );
  const stored = new Set(existing.map((doc) => String(doc._id)));
  const created = new Set<string>();
  const fileDocs: Document[] = [];
  const chunkDocs: Document[] = [];
  const now = new Date();
  for (const [i, file] of files.entries()) {
    const checksum = checksums[i]!;
    const id = fileIdFor(checksum);
    if (stored.has(String(id))) continue;
    stored.add(String(id));
    created.add(String(id));
    const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
    for (let n = 0; n * chunkSizeBytes < bytes.length; n += 1) {
      chunkDocs.push({ _id: new ObjectId(), files_id: id, n, data: new Binary(bytes.subarray(n * chunkSizeBytes, (n + 1) * chunkSizeBytes)) });
    }
    fileDocs.push({
      _id: id, length: bytes.length, chunkSize: chunkSizeBytes, uploadDate: now, filename: file.meta.filename || 'unnamed',
      metadata: { checksum, contentType: file.meta.contentType, kind: file.meta.kind },
    });
  }
  await insertAllOnce(store, collectionNames.fileChunks, chunkDocs, 'store file chunks');
  await insertAllOnce(store, collectionNames.fileMetadata, fileDocs, 'store files');
  const seen = new Set<string>();
  return checksums.map((checksum) => {
    const id = String(fileIdFor(checksum));
    const first = !seen.has(id);
    seen.add(id);
    return { id, created: first && created.has(id) };
  });
}

/**
 * Stores bytes in GridFS once per content: the same attachment in fifty replies, or a message fetched again after a
 * crash, reuses the stored file. Returns the file id as a string.
 */
export async function putFile(store: Store, bytes: Uint8Array, meta: StoredFileMeta, checksum = sha256Hex(bytes)): Promise<string> {
  const [id] = await putFiles(store, [{ bytes, meta, checksum }]);
  return id!;
}

/** A stored file's bytes, whole (for files known to be small); STORE_ERROR when it or a piece of it is missing. */
export async function readFileBytes(store: Store, id: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of readFileChunks(store, id)) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}
