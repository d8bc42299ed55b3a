import type { ObjectId } from 'mongodb';
import { collectionNames } from './collection-names.ts';
import { withStoreErrors } from './map-mongo-error.ts';
import type { Store } from './open-store.ts';

export interface SweepOptions {
  /**
   * Uploads started longer ago than this are taken for abandoned (ms; default 6 hours). Far above the time any
   * download takes: a live writer whose upload was swept notices and fails that file (putFileStream), never more.
   */
  olderThanMs?: number;
  /** The time to measure from (ms since the epoch); default now. */
  now?: number;
  /** Sweep at most once per `everyMs` per store (ms; default 10 minutes): what putFileStream asks before it writes. */
  onlyNowAndThen?: boolean;
  everyMs?: number;
}

export interface SweepResult {
  /** Uploads found abandoned and cleared. */
  uploads: number;
  /** Chunks removed with them (an upload whose file document was written keeps its chunks). */
  chunks: number;
}

const lastSweep = new WeakMap<Store, number>();
/** Upload records handled per sweep: the rest wait for the next. */
const perSweep = 100;

/**
 * Removes what streamed uploads that never finished left behind (a writer that crashed or was killed between its first
 * chunk and its file document): chunks under a provisional id that no file document names. Only uploads recorded in
 * `files.uploads` before their first chunk (putFileStream) are candidates, so chunks `putFiles` wrote under a content
 * id (which a retry completes) are never touched, and neither is anything a file document refers to. Each record is
 * claimed by removing it first, so two sweepers never both act on one.
 */
export async function sweepAbandonedUploads(store: Store, options: SweepOptions = {}): Promise<SweepResult> {
  const now = options.now ?? Date.now();
  if (options.onlyNowAndThen) {
    const last = lastSweep.get(store);
    if (last !== undefined && now - last < (options.everyMs ?? 10 * 60_000)) return { uploads: 0, chunks: 0 };
    lastSweep.set(store, now);
  }
  const uploads = store.collection(collectionNames.fileUploads);
  const files = store.collection(collectionNames.fileMetadata);
  const chunks = store.collection(collectionNames.fileChunks);
  const cutoff = new Date(now - (options.olderThanMs ?? 6 * 3600_000));
  const stale = await withStoreErrors('find abandoned uploads', () => uploads.find({ startedAt: { $lt: cutoff } }, { projection: { _id: 1 }, limit: perSweep }).toArray());
  const result: SweepResult = { uploads: 0, chunks: 0 };
  for (const { _id } of stale) {
    const id = _id as unknown as ObjectId;
    const claimed = await withStoreErrors('claim an abandoned upload', () => uploads.deleteOne({ _id: id as never, startedAt: { $lt: cutoff } }));
    if (claimed.deletedCount === 0) continue;
    result.uploads += 1;
    // Finished but not yet cleared when its writer stopped: the file is whole and keeps its chunks.
    const named = await withStoreErrors('find stored files', () => files.findOne({ 'metadata.chunksId': id }, { projection: { _id: 1 } }));
    if (named) continue;
    const removed = await withStoreErrors('remove abandoned file chunks', () => chunks.deleteMany({ files_id: id }));
    result.chunks += removed.deletedCount;
  }
  return result;
}
