import { fromGraphDateTime } from './wall-clock.ts';

/** One calendar item of a user as read from Outlook (`calendar_events`): single instances, occurrences, exceptions. */
export interface CalendarEventRecord {
  /** `<user>|<event id>` */
  _id: string;
  user: string;
  eventId: string;
  subject: string | null;
  start: Date;
  end: Date;
  /** All-day events keep the zone they were made in; start/end are their dates at 00:00 UTC. */
  isAllDay: boolean;
  showAs: string | null;
  location: string | null;
  organizer: string | null;
  type: string;
  seriesMasterId: string | null;
  isCancelled: boolean;
  iCalUId: string | null;
  webLink: string | null;
  lastModified: Date | null;
  /** The sync round that last saw it; a full round sweeps what it did not see. */
  round: string;
  syncedAt: Date;
}

/** The subset of Graph's event we read. https://learn.microsoft.com/en-us/graph/api/resources/event */
export interface GraphCalendarEvent {
  id: string;
  subject?: string | null;
  start?: { dateTime: string; timeZone: string };
  end?: { dateTime: string; timeZone: string };
  isAllDay?: boolean;
  showAs?: string;
  location?: { displayName?: string };
  organizer?: { emailAddress?: { address?: string; name?: string } };
  type?: string;
  seriesMasterId?: string | null;
  isCancelled?: boolean;
  iCalUId?: string;
  webLink?: string;
  lastModifiedDateTime?: string;
}

/** Maps a Graph event (read with `Prefer: outlook.timezone="UTC"`) to our record; null when it has no usable times. */
export function toCalendarEventRecord(user: string, event: GraphCalendarEvent, round: string, at: Date): CalendarEventRecord | null {
  const start = fromGraphDateTime(event.start);
  const end = fromGraphDateTime(event.end);
  if (start === null || end === null) return null;
  return {
    _id: `${user}|${event.id}`,
    user,
    eventId: event.id,
    subject: event.subject ?? null,
    start,
    end,
    isAllDay: event.isAllDay ?? false,
    showAs: event.showAs ?? null,
    location: event.location?.displayName || null,
    organizer: event.organizer?.emailAddress?.address ?? null,
    type: event.type ?? 'singleInstance',
    seriesMasterId: event.seriesMasterId ?? null,
    isCancelled: event.isCancelled ?? false,
    iCalUId: event.iCalUId ?? null,
    webLink: event.webLink ?? null,
    lastModified: event.lastModifiedDateTime ? new Date(event.lastModifiedDateTime) : null,
    round,
    syncedAt: at,
  };
}
