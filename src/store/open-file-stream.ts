import { Readable } from 'node:stream';
import { readChunksOf, findStoredFile } from './read-file-chunks.ts';
import type { Store } from './open-store.ts';

/** A stored file as a stream (downloads never hold a whole file in memory); null when no file has this id. */
export async function openFileStream(store: Store, fileId: string): Promise<{ length: number; stream: Readable } | null> {
  const file = await findStoredFile(store, fileId);
  if (!file) return null;
  return { length: file.length, stream: Readable.from(readChunksOf(store, fileId, file), { objectMode: false }) };
}
