import { AppError } from '../core/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { StoredObject } from './ticket-types.ts';

export async function findObject(store: Store, key: string): Promise<StoredObject | null> {
  return withStoreErrors('read object', () => store.collection<StoredObject>(collectionNames.objects).findOne({ key }));
}

function encodeCursor(object: StoredObject): string {
  return Buffer.from(JSON.stringify([object.createdAt.toISOString(), object.key]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { at: Date; key: string } {
  try {
    const [at, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (typeof key === 'string' && !Number.isNaN(date.getTime())) return { at: date, key };
  } catch {
    // falls through to the error below
  }
  throw new AppError('API_REQUEST_INVALID', 'query parameter cursor is not a cursor from a previous page', { details: { in: 'querystring', pointer: '/cursor' } });
}

/** Objects of a type (or all), newest first, a page at a time (keyset paging on createdAt, then key). */
export async function listObjectsPage(store: Store, query: { type?: string; cursor?: string; limit?: number }): Promise<{ objects: StoredObject[]; nextCursor: string | null }> {
  const limit = Math.min(200, Math.max(1, query.limit ?? 50));
  const and: Record<string, unknown>[] = [];
  if (query.type !== undefined) and.push({ type: query.type });
  if (query.cursor !== undefined) {
    const { at, key } = decodeCursor(query.cursor);
    and.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, key: { $gt: key } }] });
  }
  const found = await withStoreErrors('list objects', () =>
    store.collection<StoredObject>(collectionNames.objects).find(and.length ? { $and: and } : {}).sort({ createdAt: -1, key: 1 }).limit(limit + 1).toArray(),
  );
  const objects = found.slice(0, limit);
  return { objects, nextCursor: found.length > limit ? encodeCursor(objects[objects.length - 1]!) : null };
}
