import { createHash } from 'node:crypto';
import { Binary, ObjectId, type Document } from 'mongodb';
import { AppError } from '../core/index.ts';
import { collectionNames } from './collection-names.ts';
import { withStoreErrors } from './map-mongo-error.ts';
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
const chunkSizeBytes = 255 * 1024;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Stores many files in GridFS, each once per content: one query finds the contents already stored, then the new
 * ones are written with one insert of all their chunks and one of their file documents (the GridFS layout, so
 * `openDownloadStream` reads them). Chunks go first: a file document only ever exists with all its chunks, and a
 * crash in between leaves unreferenced chunks, as a GridFS upload stream would. Returns file ids (strings) in input
 * order; equal contents in one call share one file.
 */
export async function putFiles(store: Store, files: readonly FileToStore[]): Promise<string[]> {
  if (files.length === 0) return [];
  const checksums = files.map((file) => file.checksum ?? sha256Hex(file.bytes));
  const unique = [...new Set(checksums)];
  const existing = await withStoreErrors('find stored files', () =>
    store.collection(collectionNames.fileMetadata).find({ 'metadata.checksum': { $in: unique } }, { projection: { _id: 1, 'metadata.checksum': 1 } }).toArray(),
  );
  const idByChecksum = new Map<string, string>();
  for (const doc of existing) idByChecksum.set((doc.metadata as { checksum: string }).checksum, String(doc._id));
  const fileDocs: Document[] = [];
  const chunkDocs: Document[] = [];
  const now = new Date();
  for (const [i, file] of files.entries()) {
    const checksum = checksums[i]!;
    if (idByChecksum.has(checksum)) continue;
    const id = new ObjectId();
    idByChecksum.set(checksum, String(id));
    const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
    for (let n = 0; n * chunkSizeBytes < bytes.length; n += 1) {
      chunkDocs.push({ _id: new ObjectId(), files_id: id, n, data: new Binary(bytes.subarray(n * chunkSizeBytes, (n + 1) * chunkSizeBytes)) });
    }
    fileDocs.push({
      _id: id, length: bytes.length, chunkSize: chunkSizeBytes, uploadDate: now, filename: file.meta.filename || 'unnamed',
      metadata: { checksum, contentType: file.meta.contentType, kind: file.meta.kind },
    });
  }
  if (chunkDocs.length > 0) await withStoreErrors('store file chunks', () => store.collection(collectionNames.fileChunks).insertMany(chunkDocs));
  if (fileDocs.length > 0) await withStoreErrors('store files', () => store.collection(collectionNames.fileMetadata).insertMany(fileDocs));
  return checksums.map((checksum) => idByChecksum.get(checksum)!);
}

/**
 * Stores bytes in GridFS once per content: the same attachment in fifty replies, or a message fetched again after a
 * crash, reuses the stored file. Returns the file id as a string.
 */
export async function putFile(store: Store, bytes: Uint8Array, meta: StoredFileMeta, checksum = sha256Hex(bytes)): Promise<string> {
  const [id] = await putFiles(store, [{ bytes, meta, checksum }]);
  return id!;
}

export async function readFileBytes(store: Store, id: string): Promise<Uint8Array> {
  if (!ObjectId.isValid(id)) throw new AppError('STORE_ERROR', `"${id}" is not a file id`);
  return withStoreErrors('read stored file', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of store.files().openDownloadStream(new ObjectId(id))) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  });
}
