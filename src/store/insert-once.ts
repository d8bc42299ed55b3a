import type { Collection, Document, Filter, OptionalUnlessRequiredId } from 'mongodb';
import { isAppError } from '../core/index.ts';
import { withStoreErrors } from './map-mongo-error.ts';

/**
 * Inserts a document unless one matching `filter` (its unique idempotency key) exists, and returns whichever
 * document stands. Safe to repeat after a crash and safe against a concurrent run: the unique index decides.
 * `build` runs only when an insert is needed (it may allocate a ticket number).
 */
export async function insertOnce<T extends Document>(
  collection: Collection<T>,
  filter: Filter<T>,
  build: () => T | Promise<T>,
  what: string,
): Promise<{ doc: T; created: boolean }> {
  const existing = await withStoreErrors(`read ${what}`, () => collection.findOne(filter));
  if (existing) return { doc: existing as T, created: false };
  const fresh = await build();
  try {
    await withStoreErrors(`create ${what}`, () => collection.insertOne(fresh as OptionalUnlessRequiredId<T>));
    return { doc: fresh, created: true };
  } catch (error) {
    if (!isAppError(error, 'STORE_DUPLICATE_KEY')) throw error;
    const winner = await withStoreErrors(`read ${what}`, () => collection.findOne(filter));
    if (!winner) throw error;
    return { doc: winner as T, created: false };
  }
}
