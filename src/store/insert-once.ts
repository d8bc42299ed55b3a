import { type Collection, type Document, type Filter, type OptionalUnlessRequiredId } from 'mongodb';
import { AppError, isAppError } from '../core/index.ts';
import { isOnlyDuplicateKeys, mapMongoError, withStoreErrors } from './map-mongo-error.ts';

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
  const created = new Set<string>();
  const missing = unique.filter((key) => !existing.has(key));
  if (missing.length > 0) {
    const fresh = await build(missing);
    let pending = missing.map((key, i) => ({ key, doc: fresh[i]! }));
    let rebuilds = 0;
    while (pending.length > 0) {
      try {
        await collection.insertMany(pending.map(({ doc }) => doc) as OptionalUnlessRequiredId<T>[], { ordered: false });
        for (const { key, doc } of pending) {
          existing.set(key, doc);
          created.add(key);
        }
        break;
      } catch (error) {
        if (!isOnlyDuplicateKeys(error)) throw mapMongoError(error, `create ${what}`);
      }
      // Some keys were taken meanwhile. Which of ours went in is read back rather than taken from the error's
      // indexes (servers differ there, and some stop at the first error); the driver gave each document its _id.
      const found = await readKeys(pending.map(({ key }) => key));
      const left = pending.filter(({ key }) => !found.has(key));
      for (const { key, doc } of pending) {
        const stored = found.get(key);
        if (!stored) continue;
        existing.set(key, stored);
        const ownId = (doc as Document)._id as unknown;
        if (ownId !== undefined && String((stored as Document)._id) === String(ownId)) created.add(key);
      }
      if (left.length === pending.length) {
        // Refused by another unique index (a ticket number two first-ever allocations both handed out): build those
        // documents again, which allocates afresh, a bounded number of times.
        rebuilds += 1;
        if (rebuilds > 3) throw new AppError('STORE_DUPLICATE_KEY', `create ${what}: a unique index refused ${left.map(({ key }) => `"${key}"`).join(', ')}, and no ${what} has that key`);
        const rebuilt = await build(left.map(({ key }) => key));
        pending = left.map(({ key }, i) => ({ key, doc: rebuilt[i]! }));
        continue;
      }
      pending = left;
    }
  }
  const seen = new Set<string>();
  return keys.map((key) => {
    const first = !seen.has(key);
    seen.add(key);
    return { doc: existing.get(key)!, created: first && created.has(key) };
  });
}
