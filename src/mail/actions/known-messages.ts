import { collectionNames, withStoreErrors, type Store } from '../../store/index.ts';

interface KnownMessage {
  _id: string;
  ticketNumber: number;
}

/** A Message-ID as we key it: without angle brackets or surrounding space. */
export const bareMessageId = (id: string): string => id.trim().replace(/^<|>$/g, '');

/** Remembers Message-IDs that belong to a ticket (mail we processed or sent), so replies to them thread in. */
export async function rememberMessageIds(store: Store, ids: readonly (string | null)[], ticketNumber: number): Promise<void> {
  await rememberThreads(store, [{ ids, ticketNumber }]);
}

/** `rememberMessageIds` for many tickets in one write; an id already known keeps its first ticket. */
export async function rememberThreads(store: Store, entries: readonly { ids: readonly (string | null)[]; ticketNumber: number }[]): Promise<void> {
  const byId = new Map<string, number>();
  for (const { ids, ticketNumber } of entries) {
    for (const id of ids) if (id && !byId.has(bareMessageId(id))) byId.set(bareMessageId(id), ticketNumber);
  }
  if (byId.size === 0) return;
  await withStoreErrors('remember message ids', () =>
    store.collection<KnownMessage>(collectionNames.knownMessages).bulkWrite(
      [...byId].map(([id, ticketNumber]) => ({ updateOne: { filter: { _id: id }, update: { $setOnInsert: { ticketNumber } }, upsert: true } })),
      { ordered: false },
    ),
  );
}

/** The known Message-IDs among `references` (any number of mails at once), bare id → ticket number. */
export async function loadKnownMessages(store: Store, references: readonly string[]): Promise<Map<string, number>> {
  const ids = [...new Set(references.map(bareMessageId))];
  if (ids.length === 0) return new Map();
  const found = await withStoreErrors('look up thread', () =>
    store.collection<KnownMessage>(collectionNames.knownMessages).find({ _id: { $in: ids } }).toArray(),
  );
  return new Map(found.map((k) => [k._id, k.ticketNumber]));
}

/**
 * What `known` says about a mail's thread, the nearest reference first: In-Reply-To comes first and References lists
 * the thread oldest first, so the most recent known one wins. Undefined when no reference is known.
 */
export function pickThread<T>(references: readonly string[], known: Pick<ReadonlyMap<string, T>, 'has' | 'get'>): T | undefined {
  if (references.length === 0) return undefined;
  const ids = references.map(bareMessageId);
  for (const id of [ids[0]!, ...ids.slice(1).reverse()]) {
    if (known.has(id)) return known.get(id);
  }
  return undefined;
}

/** The ticket a mail belongs to by In-Reply-To/References; null when none is known. */
export async function findThreadTicket(store: Store, references: readonly string[]): Promise<number | null> {
  return pickThread(references, await loadKnownMessages(store, references)) ?? null;
}
