import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { CalendarEventRecord } from './calendar-event-record.ts';

/** `calendar list`: a user's stored events overlapping [from, to), by start. */
export async function listCalendarEvents(store: Store, query: { user: string; from?: Date; to?: Date }): Promise<CalendarEventRecord[]> {
  const events = store.collection<CalendarEventRecord>(collectionNames.calendarEvents);
  const filter: Record<string, unknown> = { user: query.user.toLowerCase() };
  if (query.to) filter.start = { $lt: query.to };
  if (query.from) filter.end = { $gt: query.from };
  return withStoreErrors('list calendar events', () => events.find(filter).sort({ start: 1 }).toArray());
}
