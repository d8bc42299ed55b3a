import type { GraphClient } from '../graph/index.ts';
import type { GraphCalendarEvent } from './calendar-event-record.ts';
import { mailroomIdProperty, readExtendedProperty, type ExtendedPropertyValue } from './calendar-properties.ts';
import type { CalendarWindow } from './calendar-window.ts';
import type { RemoteRoomEvent } from './plan-room-sync.ts';
import { readCalendarViewDelta, type DeltaRoundResult } from './read-calendar-view-delta.ts';
import { fromGraphDateTime } from './wall-clock.ts';
import { findOrganizerEvents, organizerEventOf } from './find-organizer-events.ts';

type EventWithProperties = GraphCalendarEvent & { singleValueExtendedProperties?: ExtendedPropertyValue[] };

export interface RoomChanges {
  round: DeltaRoundResult;
  changed: RemoteRoomEvent[];
  deleted: Set<string>;
  /** Linked series of which an occurrence changed or (in a full round) was listed. */
  seriesSeen: Set<string>;
}

function toRemote(event: EventWithProperties, room: string): RemoteRoomEvent | null {
  const start = fromGraphDateTime(event.start);
  const end = fromGraphDateTime(event.end);
  if (start === null || end === null || event.type === 'seriesMaster') return null;
  const organizer = event.organizer?.emailAddress?.address?.toLowerCase() ?? null;
  const organizerOwned = organizer !== null && organizer !== room;
  return {
    eventId: event.id, subject: event.subject ?? '', start, end,
    organizer,
    lastModified: event.lastModifiedDateTime ? new Date(event.lastModifiedDateTime) : null,
    mailroomId: readExtendedProperty(event, mailroomIdProperty),
    iCalUId: event.iCalUId ?? null,
    organizerOwned,
    // The room's copy of a user's meeting carries the organizer's name, not the title (room mailbox defaults).
    subjectPlaceholder: organizerOwned,
    organizerEventId: null,
    seriesMasterId: event.seriesMasterId ?? null,
  };
}

export interface ReadRoomChangesOptions {
  /** Lower-case room address. */
  room: string;
  roomPath: string;
  window: CalendarWindow;
  deltaLink: string | null;
  linkedIds: ReadonlySet<string>;
  /**
   * Read the title of user-organized meetings from the organizer's own event (strict mode off). Off: no request
   * goes to any user's calendar and the room copy's subject stays, flagged as a placeholder.
   */
  readOrganizers: boolean;
  signal?: AbortSignal;
}

/**
 * One delta round of a room calendar, then small batched reads: our id property of events no reservation is
 * linked to (delta does not return extended properties), a look at linked events reported removed, because
 * calendarView delta also says "removed" for an event moved out of the window, and (unless strict) the organizers'
 * events of changed user-organized meetings. A meeting its organizer cancelled stays on the room's calendar flagged
 * `isCancelled`; for the sync it is gone.
 */
export async function readRoomChanges(graph: GraphClient, options: ReadRoomChangesOptions): Promise<RoomChanges> {
  const { roomPath, window, deltaLink, linkedIds, signal } = options;
  const changedEvents = new Map<string, GraphCalendarEvent>();
  const removed = new Set<string>();
  const round = await readCalendarViewDelta<GraphCalendarEvent>(graph, roomPath, window, deltaLink, {
    changed: async (items) => { for (const e of items) { changedEvents.set(e.id, e); removed.delete(e.id); } },
    removed: async (ids) => { for (const id of ids) { removed.add(id); changedEvents.delete(id); } },
  }, signal);
  // Occurrences of a series a reservation is linked to stand for that series: not reservations of their own.
  const seriesSeen = new Set<string>();
  for (const [id, event] of changedEvents) {
    if (!event.seriesMasterId || !linkedIds.has(event.seriesMasterId)) continue;
    if (event.isCancelled !== true) seriesSeen.add(event.seriesMasterId);
    changedEvents.delete(id);
  }
  const cancelled = new Set<string>();
  for (const [id, event] of changedEvents) {
    if (event.isCancelled !== true) continue;
    changedEvents.delete(id);
    if (linkedIds.has(id)) cancelled.add(id);
  }

  const headers = { Prefer: 'outlook.timezone="UTC"' };
  const expand = `$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${mailroomIdProperty}')`)}`;
  const unknown = [...changedEvents.values()].filter((e) => !linkedIds.has(e.id) && e.type !== 'seriesMaster');
  const recheck = [...removed].filter((id) => linkedIds.has(id));
  const requests = [
    ...unknown.map((e) => ({ method: 'GET' as const, url: `${roomPath}/events/${encodeURIComponent(e.id)}?${expand}`, headers })),
    ...recheck.map((id) => ({ method: 'GET' as const, url: `${roomPath}/events/${encodeURIComponent(id)}?${expand}`, headers })),
  ];
  const responses = requests.length > 0 ? await graph.batch(requests, signal ? { signal } : {}) : [];
  const withProps = new Map<string, EventWithProperties>();
  const vanished = new Set<string>();
  responses.forEach((response, index) => {
    const id = index < unknown.length ? unknown[index]!.id : recheck[index - unknown.length]!;
    if (response.status === 200) withProps.set(id, response.body as EventWithProperties);
    else if (response.status === 404) vanished.add(id);
    else throw response.error ?? new Error(`status ${response.status}`);
  });

  const changed: RemoteRoomEvent[] = [];
  for (const event of changedEvents.values()) {
    if (vanished.has(event.id)) continue;
    const remote = toRemote(withProps.get(event.id) ?? event, options.room);
    if (remote) changed.push(remote);
  }
  const deleted = new Set<string>(cancelled);
  for (const id of removed) {
    const still = withProps.get(id);
    const remote = still && still.isCancelled !== true ? toRemote(still, options.room) : null;
    if (remote) changed.push(remote);
    else deleted.add(id);
  }
  if (options.readOrganizers) await withOrganizerTitles(graph, changed, signal);
  return { round, changed, deleted, seriesSeen };
}

/** Strict mode off: the title (and the organizer's event id) of each changed user-organized meeting, from the organizer. */
async function withOrganizerTitles(graph: GraphClient, changed: RemoteRoomEvent[], signal?: AbortSignal): Promise<void> {
  const owned = changed.filter((e) => e.organizerOwned && e.organizer !== null && e.iCalUId !== null);
  const refs = owned.map((e) => ({ organizer: e.organizer!, iCalUId: e.iCalUId! }));
  const found = await findOrganizerEvents(graph, refs, signal);
  for (const event of owned) {
    const original = organizerEventOf(found, { organizer: event.organizer!, iCalUId: event.iCalUId! });
    if (original === null) continue;
    event.subject = original.subject;
    event.subjectPlaceholder = false;
    event.organizerEventId = original.id;
    // The room's copy carries no extended properties; ours on the organizer's event links a copy whose create
    // was not recorded (a run killed after creating it in the organizer's calendar).
    event.mailroomId ??= original.mailroomId;
  }
}
