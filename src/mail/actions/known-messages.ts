import { collectionNames, withStoreErrors, type Store } from '../../store/index.ts';

interface KnownMessage {
  _id: string;
  ticketNumber: number;
}

const bare = (id: string): string => id.trim().replace(/^<|>$/g, '');

/** Remembers Message-IDs that belong to a ticket (mail we processed or sent), so replies to them thread in. */
export async function rememberMessageIds(store: Store, ids: readonly (string | null)[], ticketNumber: number): Promise<void> {
  const known = store.collection<KnownMessage>(collectionNames.knownMessages);
  const unique = [...new Set(ids.filter((id): id is string => !!id).map(bare))];
  if (unique.length === 0) return;
  await withStoreErrors('remember message ids', () =>
    known.bulkWrite(unique.map((id) => ({ updateOne: { filter: { _id: id }, update: { $setOnInsert: { ticketNumber } }, upsert: true } })), { ordered: false }),
  );
}

/** The ticket a mail belongs to by In-Reply-To/References, the nearest reference first; null when none is known. */
export async function findThreadTicket(store: Store, references: readonly string[]): Promise<number | null> {
  if (references.length === 0) return null;
  const ids = references.map(bare);
  const found = await withStoreErrors('look up thread', () =>
    store.collection<KnownMessage>(collectionNames.knownMessages).find({ _id: { $in: ids } }).toArray(),
  );
  if (found.length === 0) return null;
  const byId = new Map(found.map((k) => [k._id, k.ticketNumber]));
  // In-Reply-To comes first and References lists the thread oldest first: prefer the most recent known one.
  for (const id of [ids[0]!, ...ids.slice(1).reverse()]) {
    const number = byId.get(id);
    if (number !== undefined) return number;
  }
  return null;
}
