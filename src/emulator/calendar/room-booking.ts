import { graphDate } from '../state/message-record.ts';
import type { DirectoryObject, TenantState } from '../state/tenant-state.ts';
import type { EventRecord } from './calendar-store.ts';

/**
 * Exchange's resource booking, as far as room sync needs it. A meeting request that names a room of the tenant as
 * an attendee (normally `type: resource`, https://learn.microsoft.com/en-us/graph/api/resources/attendee) is accepted
 * by the room at once (AutomateProcessing AutoAccept), which puts a copy of the meeting on the room's calendar: same
 * `iCalUId` ("the same across calendars", https://learn.microsoft.com/en-us/graph/api/resources/event), the user as
 * `organizer`, `isOrganizer: false`. The room's copy follows the room mailbox defaults of Set-CalendarProcessing
 * (https://learn.microsoft.com/en-us/powershell/module/exchange/set-calendarprocessing): AddOrganizerToSubject and
 * DeleteSubject put the organizer's name in place of the subject, DeleteComments drops the body, and a meeting the
 * organizer cancels stays on the room's calendar flagged `isCancelled` (RemoveCanceledMeetings is off by default).
 * Extended properties are the organizer's own and are not copied.
 *
 * The organizer's event is the one that can be changed: its updates and its cancellation reach the room's copy;
 * a change made to the room's copy stays on that copy (and `cancel` on it is refused, see event-routes.ts).
 * Simplifications: booking is synchronous (Exchange takes seconds), rooms never decline, and changes to single
 * occurrences of a series are not forwarded.
 */
function roomAttendees(state: TenantState, event: EventRecord): DirectoryObject[] {
  const attendees = (event.props.attendees as { emailAddress?: { address?: string } }[] | undefined) ?? [];
  const rooms: DirectoryObject[] = [];
  for (const attendee of attendees) {
    const found = state.find(attendee.emailAddress?.address ?? '');
    if (found?.kind === 'room' && found.calendars !== undefined && !rooms.includes(found)) rooms.push(found);
  }
  return rooms;
}

function copyIn(room: DirectoryObject, event: EventRecord): EventRecord | undefined {
  for (const calendar of room.calendars?.calendars ?? []) {
    for (const candidate of calendar.events.values()) if (candidate.iCalUId === event.iCalUId && candidate.organizer !== undefined) return candidate;
  }
  return undefined;
}

function copiedProps(organizerName: string, event: EventRecord, room: DirectoryObject): Record<string, unknown> {
  return {
    subject: organizerName,
    body: { contentType: 'html', content: '' },
    attendees: structuredClone(event.props.attendees),
    location: event.props.location ?? { displayName: room.room?.displayName ?? room.upn },
    showAs: 'busy',
  };
}

function markAccepted(event: EventRecord, room: DirectoryObject): void {
  const attendees = (event.props.attendees as { emailAddress: { address: string }; status?: unknown }[] | undefined) ?? [];
  const time = graphDate(new Date());
  for (const attendee of attendees) {
    if (attendee.emailAddress.address.toLowerCase() === room.upn) attendee.status = { response: 'accepted', time };
  }
}

/** After the organizer created or changed a meeting: book newly invited rooms, update or cancel the copies of the others. */
export function forwardToRooms(state: TenantState, organizer: DirectoryObject | undefined, event: EventRecord): void {
  if (organizer === undefined || event.organizer !== undefined) return;
  const name = organizer.user?.displayName ?? organizer.room?.displayName ?? organizer.upn;
  const invited = roomAttendees(state, event);
  for (const room of invited) {
    if (room === organizer) continue;
    const set = room.calendars!;
    const copy = copyIn(room, event);
    markAccepted(event, room);
    if (copy === undefined) {
      const created = set.addEvent(set.defaultCalendar(), {
        transactionId: null, props: copiedProps(name, event, room), start: event.start, end: event.end, startMs: event.startMs, endMs: event.endMs,
        isAllDay: event.isAllDay, recurrence: event.recurrence, extendedProperties: [],
      }, event.iCalUId);
      created.organizer = { address: organizer.upn, name };
      continue;
    }
    Object.assign(copy, { start: event.start, end: event.end, startMs: event.startMs, endMs: event.endMs, isAllDay: event.isAllDay, recurrence: event.recurrence });
    Object.assign(copy.props, copiedProps(name, event, room));
    copy.isCancelled = false;
    set.touch(copy);
  }
  // A room taken off the attendee list gets a cancellation.
  for (const room of state.directory) {
    if (room.kind !== 'room' || invited.includes(room)) continue;
    const copy = copyIn(room, event);
    if (copy !== undefined && copy.isCancelled !== true) cancelCopy(room, copy);
  }
}

function cancelCopy(room: DirectoryObject, copy: EventRecord): void {
  copy.isCancelled = true;
  copy.props.subject = `Canceled: ${String(copy.props.subject ?? '')}`;
  room.calendars!.touch(copy);
}

/** After the organizer cancelled or deleted a meeting: every room's copy is flagged cancelled. */
export function cancelAtRooms(state: TenantState, event: EventRecord): void {
  if (event.organizer !== undefined) return;
  for (const room of state.directory) {
    if (room.kind !== 'room') continue;
    const copy = copyIn(room, event);
    if (copy !== undefined && copy.isCancelled !== true) cancelCopy(room, copy);
  }
}
