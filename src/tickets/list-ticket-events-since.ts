import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { TicketEvent } from './ticket-types.ts';

/** Ticket events at or after `since`, oldest first: what outbound webhooks deliver. */
export async function listTicketEventsSince(store: Store, since: Date, limit: number): Promise<TicketEvent[]> {
  return withStoreErrors('list ticket events', () =>
    store.collection<TicketEvent>(collectionNames.ticketEvents).find({ at: { $gte: since } }).sort({ at: 1, _id: 1 }).limit(limit).toArray(),
  );
}
