import type { GraphClient } from '../graph/index.ts';
import type { GraphCalendarEvent } from './calendar-event-record.ts';
import { mailroomIdProperty, readExtendedProperty, type ExtendedPropertyValue } from './calendar-properties.ts';
import type { CalendarWindow } from './calendar-window.ts';
import type { RemoteRoomEvent } from './plan-room-sync.ts';
import { readCalendarViewDelta, type DeltaRoundResult } from './read-calendar-view-delta.ts';
import { fromGraphDateTime } from './wall-clock.ts';

type EventWithProperties = GraphCalendarEvent & { singleValueExtendedProperties?: ExtendedPropertyValue[] };

export interface RoomChanges {
  round: DeltaRoundResult;
  changed: RemoteRoomEvent[];
  deleted: Set<string>;
}

function toRemote(event: EventWithProperties): RemoteRoomEvent | null {
  const start = fromGraphDateTime(event.start);
  const end = fromGraphDateTime(event.end);
  if (start === null || end === null || event.type === 'seriesMaster') return null;
  return {
    eventId: event.id, subject: event.subject ?? '', start, end,
    organizer: event.organizer?.emailAddress?.address ?? null,
    lastModified: event.lastModifiedDateTime ? new Date(event.lastModifiedDateTime) : null,
    mailroomId: readExtendedProperty(event, mailroomIdProperty),
  };
}

/**
 * One delta round of a room calendar, then two small batched reads: our id property of events no reservation is
 * linked to (delta does not return extended properties), and a look at linked events reported removed, because
 * calendarView delta also says "removed" for an event moved out of the window.
 */
export async function readRoomChanges(
  graph: GraphClient, roomPath: string, window: CalendarWindow, deltaLink: string | null, linkedIds: ReadonlySet<string>, signal?: AbortSignal,
): Promise<RoomChanges> {
  const changedEvents = new Map<string, GraphCalendarEvent>();
  const removed = new Set<string>();
  const round = await readCalendarViewDelta<GraphCalendarEvent>(graph, roomPath, window, deltaLink, {
    changed: async (items) => { for (const e of items) { changedEvents.set(e.id, e); removed.delete(e.id); } },
    removed: async (ids) => { for (const id of ids) { removed.add(id); changedEvents.delete(id); } },
  }, signal);

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
    const remote = toRemote(withProps.get(event.id) ?? event);
    if (remote) changed.push(remote);
  }
  const deleted = new Set<string>();
  for (const id of removed) {
    const still = withProps.get(id);
    const remote = still ? toRemote(still) : null;
    if (remote) changed.push(remote);
    else deleted.add(id);
  }
  return { round, changed, deleted };
}
