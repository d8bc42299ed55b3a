import { ObjectId, type Document } from 'mongodb';
import { AppError } from '../core/index.ts';
import { collectionNames } from './collection-names.ts';
import { mapMongoError, withStoreErrors } from './map-mongo-error.ts';
import type { Store } from './open-store.ts';

/** Chunks fetched per round trip: about a megabyte. */
const chunksPerRead = 4;

/** What reading a stored file needs of its file document. */
export interface StoredFileHead {
  length: number;
  /** Where its chunks are: its own id, or the id a streamed file's chunks were written under (putFileStream). */
  chunksId: ObjectId;
}

/** The file document's part that readers need; null when no file has this id (or it is not an id at all). */
export async function findStoredFile(store: Store, fileId: string): Promise<StoredFileHead | null> {
  if (!/^[0-9a-f]{24}$/i.test(fileId)) return null;
  const id = new ObjectId(fileId);
  const found = await withStoreErrors('read stored file', () =>
    store.collection(collectionNames.fileMetadata).findOne<Document>({ _id: id }, { projection: { length: 1, 'metadata.chunksId': 1 } }));
  if (!found) return null;
  const chunksId = (found.metadata as { chunksId?: unknown } | undefined)?.chunksId;
  return { length: Number(found.length), chunksId: chunksId instanceof ObjectId ? chunksId : id };
}

/**
 * A stored file's bytes piece by piece, a few chunks per round trip. GridFS's own download stream lets the server
 * fill its batches (up to 16 MB each, decoded at once), which made reading a large mail back cost more memory than
 * the whole rest of its processing; and it knows nothing of `metadata.chunksId`. Throws STORE_ERROR when the file or
 * a chunk of it is missing.
 */
export async function* readFileChunks(store: Store, fileId: string): AsyncGenerator<Uint8Array> {
  const file = await findStoredFile(store, fileId);
  if (!file) throw new AppError('STORE_ERROR', ObjectId.isValid(fileId) ? `no stored file ${fileId}` : `"${fileId}" is not a file id`, { details: { fileId } });
  yield* readChunksOf(store, fileId, file);
}

/** The chunks of a file whose document was read already (findStoredFile). */
export async function* readChunksOf(store: Store, fileId: string, file: StoredFileHead): AsyncGenerator<Uint8Array> {
  const cursor = store.collection(collectionNames.fileChunks).find({ files_id: file.chunksId }, { sort: { n: 1 }, batchSize: chunksPerRead, projection: { n: 1, data: 1 } });
  let expected = 0;
  let length = 0;
  try {
    for await (const chunk of cursor) {
      if (chunk.n !== expected) throw new AppError('STORE_ERROR', `stored file ${fileId} lacks chunk ${expected}`, { details: { fileId } });
      expected += 1;
      const data = (chunk.data as { buffer: Uint8Array }).buffer;
      length += data.byteLength;
      yield data;
    }
    if (length !== file.length) throw new AppError('STORE_ERROR', `stored file ${fileId} has ${length} of its ${file.length} bytes`, { details: { fileId } });
  } catch (error) {
    throw mapMongoError(error, 'read stored file');
  } finally {
    await cursor.close();
  }
}
