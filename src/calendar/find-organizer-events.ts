import { escapeODataString, type GraphClient } from '../graph/index.ts';
import type { GraphCalendarEvent } from './calendar-event-record.ts';
import { mailroomIdProperty, readExtendedProperty, type ExtendedPropertyValue } from './calendar-properties.ts';
import { fromGraphDateTime } from './wall-clock.ts';

/** The organizer's own event of a meeting a room attends. */
export interface OrganizerEvent {
  id: string;
  subject: string;
  start: Date | null;
  end: Date | null;
  /** Our id property: set on events Mailroom created in the organizer's calendar (createUserCalendarReservations). */
  mailroomId: string | null;
}

export interface MeetingRef {
  organizer: string;
  iCalUId: string;
}

const key = (ref: MeetingRef): string => `${ref.organizer.toLowerCase()}\n${ref.iCalUId}`;

/**
 * Finds each meeting's event in its organizer's calendar by `iCalUId`, which "is the same across calendars"
 * (https://learn.microsoft.com/en-us/graph/api/resources/event), in one batched round. A meeting whose organizer is
 * outside the tenant, or whose calendar the application may not read, or that is gone, maps to null: the caller
 * then keeps the room's copy (placeholders) or reports the reservation as not writable. Only the meetings asked
 * for are looked up, so the sync touches only events of reservations it manages.
 */
export async function findOrganizerEvents(graph: GraphClient, refs: readonly MeetingRef[], signal?: AbortSignal): Promise<Map<string, OrganizerEvent | null>> {
  const unique = [...new Map(refs.map((r) => [key(r), r])).values()];
  const found = new Map<string, OrganizerEvent | null>();
  if (unique.length === 0) return found;
  // No $select, so the expanded property comes back whatever a server makes of $select together with $expand.
  const expand = `$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${mailroomIdProperty}')`)}`;
  const responses = await graph.batch(unique.map((ref) => ({
    method: 'GET' as const,
    url: `/users/${encodeURIComponent(ref.organizer)}/events?$filter=${encodeURIComponent(`iCalUId eq '${escapeODataString(ref.iCalUId)}'`)}&${expand}`,
    headers: { Prefer: 'outlook.timezone="UTC"' },
  })), signal ? { signal } : {});
  responses.forEach((response, index) => {
    const ref = unique[index]!;
    const event = response.status === 200 ? (response.body as { value?: (GraphCalendarEvent & { singleValueExtendedProperties?: ExtendedPropertyValue[] })[] }).value?.[0] : undefined;
    found.set(key(ref), event === undefined ? null : {
      id: event.id, subject: event.subject ?? '', start: fromGraphDateTime(event.start), end: fromGraphDateTime(event.end), mailroomId: readExtendedProperty(event, mailroomIdProperty),
    });
  });
  return found;
}

export function organizerEventOf(found: ReadonlyMap<string, OrganizerEvent | null>, ref: MeetingRef): OrganizerEvent | null {
  return found.get(key(ref)) ?? null;
}
