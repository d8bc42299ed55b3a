import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import { normaliseMessageId, threadSnapshot, type ThreadSnapshot } from './thread-snapshot.ts';

interface KnownMessage {
  _id: string;
  ticketNumber: number;
  source?: string;
  at?: Date;
}

export interface ThreadEntry {
  ids: readonly (string | null)[];
  ticketNumber: number;
}

/**
 * The thread index: Message-IDs of mail that belongs to a ticket (mail we processed, notifications we sent), so
 * replies thread in. Used by the mail lane and by notifications; an id keeps the first ticket it was linked to.
 */
export interface ThreadIndex {
  /** The stored links for any number of references at once, as a snapshot for `decide`. */
  lookup(references: readonly string[]): Promise<ThreadSnapshot>;
  /** Links ids to tickets in one write. */
  remember(entries: readonly ThreadEntry[], source?: string, at?: Date): Promise<void>;
  /** The ticket a mail belongs to by In-Reply-To/References; null when none is known. */
  findTicket(references: readonly string[]): Promise<number | null>;
}

export function createThreadIndex(store: Store): ThreadIndex {
  const known = () => store.collection<KnownMessage>(collectionNames.knownMessages);
  const index: ThreadIndex = {
    async lookup(references) {
      const ids = [...new Set(references.map(normaliseMessageId))].filter((id) => id !== '');
      if (ids.length === 0) return threadSnapshot(new Map());
      const found = await withStoreErrors('look up thread', () => known().find({ _id: { $in: ids } }).toArray());
      return threadSnapshot(new Map(found.map((k) => [k._id, k.ticketNumber])));
    },
    async remember(entries, source, at) {
      const byId = new Map<string, number>();
      for (const { ids, ticketNumber } of entries) {
        for (const id of ids) if (id && !byId.has(normaliseMessageId(id))) byId.set(normaliseMessageId(id), ticketNumber);
      }
      if (byId.size === 0) return;
      await withStoreErrors('remember message ids', () =>
        known().bulkWrite(
          [...byId].map(([id, ticketNumber]) => ({ updateOne: { filter: { _id: id }, update: { $setOnInsert: { ticketNumber, ...(source ? { source } : {}), ...(at ? { at } : {}) } }, upsert: true } })),
          { ordered: false },
        ),
      );
    },
    async findTicket(references) {
      const snapshot = await index.lookup(references);
      const ids = references.map(normaliseMessageId);
      for (const id of [ids[0], ...ids.slice(1).reverse()]) {
        const number = id === undefined ? undefined : snapshot.stored.get(id);
        if (number !== undefined) return number;
      }
      return null;
    },
  };
  return index;
}
