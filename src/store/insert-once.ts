import { MongoBulkWriteError, type Collection, type Document, type Filter, type OptionalUnlessRequiredId } from 'mongodb';
import { AppError, isAppError } from '../core/index.ts';
import { mapMongoError, withStoreErrors } from './map-mongo-error.ts';

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

const DUPLICATE_KEY = 11000;

/**
 * `insertOnce` for many documents at once, each identified by the unique `field` (its idempotency key): one read finds
 * the ones that exist, `build` makes the missing ones (in the order of the keys it is given), one unordered insert
 * writes them, and a key another writer inserted meanwhile is read back, so the unique index still decides races.
 * Returns one result per key, in input order; a key given twice yields the same document, created only the first time.
 */
export async function insertManyOnce<T extends Document>(
  collection: Collection<T>,
  field: string,
  keys: readonly string[],
  build: (missing: readonly string[]) => T[] | Promise<T[]>,
  what: string,
): Promise<{ doc: T; created: boolean }[]> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return [];
  const readKeys = async (wanted: readonly string[]): Promise<Map<string, T>> => {
    const found = await withStoreErrors(`read ${what}`, () => collection.find({ [field]: { $in: [...wanted] } } as Filter<T>).toArray());
    return new Map(found.map((doc) => [String((doc as Document)[field]), doc as T]));
  };
  const existing = await readKeys(unique);
  const missing = unique.filter((key) => !existing.has(key));
  const created = new Set<string>();
  if (missing.length > 0) {
    const fresh = await build(missing);
    const lost: string[] = [];
    try {
      await collection.insertMany(fresh as OptionalUnlessRequiredId<T>[], { ordered: false });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw mapMongoError(error, `create ${what}`);
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw mapMongoError(error, `create ${what}`);
      for (const e of writeErrors) lost.push(missing[e.index]!);
    }
    const lostSet = new Set(lost);
    missing.forEach((key, i) => {
      if (lostSet.has(key)) return;
      existing.set(key, fresh[i]!);
      created.add(key);
    });
    if (lost.length > 0) {
      const winners = await readKeys(lost);
      for (const key of lost) {
        const winner = winners.get(key);
        if (!winner) throw new AppError('STORE_DUPLICATE_KEY', `create ${what}: "${key}" broke a unique index but no ${what} has that key`);
        existing.set(key, winner);
      }
    }
  }
  const seen = new Set<string>();
  return keys.map((key) => {
    const first = !seen.has(key);
    seen.add(key);
    return { doc: existing.get(key)!, created: first && created.has(key) };
  });
}
