import { createHash } from 'node:crypto';
import { ObjectId } from 'mongodb';
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

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Stores bytes in GridFS once per content: the same attachment in fifty replies, or a message fetched again after a
 * crash, reuses the stored file. Returns the file id as a string.
 */
export async function putFile(store: Store, bytes: Uint8Array, meta: StoredFileMeta, checksum = sha256Hex(bytes)): Promise<string> {
  const existing = await withStoreErrors('find stored file', () =>
    store.collection(collectionNames.fileMetadata).findOne({ 'metadata.checksum': checksum }, { projection: { _id: 1 } }),
  );
  if (existing) return String(existing._id);
  const upload = store.files().openUploadStream(meta.filename || 'unnamed', {
    metadata: { checksum, contentType: meta.contentType, kind: meta.kind },
  });
  await withStoreErrors('store file', () =>
    new Promise<void>((resolveUpload, reject) => {
      upload.once('error', reject).once('finish', () => resolveUpload());
      upload.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }),
  );
  return String(upload.id);
}

export async function readFileBytes(store: Store, id: string): Promise<Uint8Array> {
  if (!ObjectId.isValid(id)) throw new AppError('STORE_ERROR', `"${id}" is not a file id`);
  return withStoreErrors('read stored file', async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of store.files().openDownloadStream(new ObjectId(id))) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  });
}
