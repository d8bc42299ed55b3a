import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { Ticket } from './ticket-types.ts';

/**
 * Tickets created since `since`, counted per requester address (lower-cased): what a rule set's sender cap
 * (`maxNewTicketsPerHour`) compares against. Reads only the tickets of that window, their requester field alone.
 */
export async function countRecentTicketsByRequester(store: Store, since: Date): Promise<Map<string, number>> {
  const recent = await withStoreErrors('count recent tickets by requester', () =>
    store.collection<Ticket>(collectionNames.tickets).find({ createdAt: { $gte: since } }, { projection: { 'requester.address': 1 } }).toArray(),
  );
  const counts = new Map<string, number>();
  for (const ticket of recent) {
    const address = ticket.requester?.address?.toLowerCase();
    if (address) counts.set(address, (counts.get(address) ?? 0) + 1);
  }
  return counts;
}
