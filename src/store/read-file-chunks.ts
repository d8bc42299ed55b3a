import { ObjectId } from 'mongodb';
import { AppError } from '../core/index.ts';
import { collectionNames } from './collection-names.ts';
import { mapMongoError, withStoreErrors } from './map-mongo-error.ts';
import type { Store } from './open-store.ts';

/** Chunks fetched per round trip: about a megabyte. */
const chunksPerRead = 4;

/**
 * A stored file's bytes piece by piece, a few chunks per round trip. GridFS's own download stream lets the server
 * fill its batches (up to 16 MB each, decoded at once), which made reading a large mail back cost more memory than
 * the whole rest of its processing. Throws STORE_ERROR when the file or a chunk of it is missing.
 */
export async function* readFileChunks(store: Store, fileId: string): AsyncGenerator<Uint8Array> {
  if (!ObjectId.isValid(fileId)) throw new AppError('STORE_ERROR', `"${fileId}" is not a file id`);
  const file = await withStoreErrors('read stored file', () => store.collection(collectionNames.fileMetadata).findOne({ _id: new ObjectId(fileId) }, { projection: { length: 1 } }));
  if (!file) throw new AppError('STORE_ERROR', `no stored file ${fileId}`, { details: { fileId } });
  const cursor = store.collection(collectionNames.fileChunks).find({ files_id: new ObjectId(fileId) }, { sort: { n: 1 }, batchSize: chunksPerRead, projection: { n: 1, data: 1 } });
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
    if (length !== Number(file.length)) throw new AppError('STORE_ERROR', `stored file ${fileId} has ${length} of its ${Number(file.length)} bytes`, { details: { fileId } });
  } catch (error) {
    throw mapMongoError(error, 'read stored file');
  } finally {
    await cursor.close();
  }
}
