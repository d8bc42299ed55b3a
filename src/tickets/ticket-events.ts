import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { TicketEvent } from './ticket-types.ts';

/** Records an event once: the key makes a repeated write (after a crash) a no-op. */
export async function recordTicketEvent(store: Store, event: Omit<TicketEvent, 'notifiedAt'>): Promise<void> {
  await recordTicketEvents(store, [event]);
}

/** Records many events in one write, each once by its key (unordered: they are independent). */
export async function recordTicketEvents(store: Store, events: readonly Omit<TicketEvent, 'notifiedAt'>[]): Promise<void> {
  if (events.length === 0) return;
  await withStoreErrors('record ticket events', () =>
    store.collection<TicketEvent>(collectionNames.ticketEvents).bulkWrite(
      events.map((event) => ({ updateOne: { filter: { _id: event._id }, update: { $setOnInsert: { ...event, notifiedAt: null } }, upsert: true } })),
      { ordered: false },
    ),
  );
}

export async function listPendingTicketEvents(store: Store, limit: number): Promise<TicketEvent[]> {
  return withStoreErrors('list pending ticket events', () =>
    store.collection<TicketEvent>(collectionNames.ticketEvents).find({ notifiedAt: null }).sort({ at: 1 }).limit(limit).toArray(),
  );
}

export async function markTicketEventNotified(store: Store, id: string, at: Date): Promise<void> {
  await withStoreErrors('mark ticket event notified', () =>
    store.collection<TicketEvent>(collectionNames.ticketEvents).updateOne({ _id: id }, { $set: { notifiedAt: at } }),
  );
}
