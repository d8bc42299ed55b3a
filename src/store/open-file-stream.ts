import type { Readable } from 'node:stream';
import { ObjectId } from 'mongodb';
import { collectionNames } from './collection-names.ts';
import { withStoreErrors } from './map-mongo-error.ts';
import type { Store } from './open-store.ts';

/** A stored file as a stream from GridFS (downloads never hold a whole file in memory); null when no file has this id. */
export async function openFileStream(store: Store, fileId: string): Promise<{ length: number; stream: Readable } | null> {
  if (!/^[0-9a-f]{24}$/i.test(fileId)) return null;
  const id = new ObjectId(fileId);
  const found = await withStoreErrors('read stored file', () => store.collection(collectionNames.fileMetadata).findOne({ _id: id }, { projection: { length: 1 } }));
  if (!found) return null;
  return { length: Number(found.length), stream: store.files().openDownloadStream(id) };
}
