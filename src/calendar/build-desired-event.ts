import { createHash } from 'node:crypto';
import { mailroomHashProperty, mailroomIdProperty } from './calendar-properties.ts';
import type { PlannedItem } from './planned-item.ts';
import { addDays, toWallClock } from './wall-clock.ts';

/** The Graph event body we want for one planned item (without our extended properties and transactionId). */
export interface EventContent {
  subject: string;
  body: { contentType: 'text'; content: string };
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  isAllDay: boolean;
  showAs: 'busy' | 'oof' | 'free';
  location?: { displayName: string };
  isReminderOn: boolean;
}

export interface DesiredEvent {
  itemKey: string;
  resource: string;
  version: number;
  /** Hash of `content`: equal hashes mean the event is up to date. */
  hash: string;
  content: EventContent;
  /** The instant the item ends, for the daysBack cut-off. */
  endsAt: Date;
}

export function hashContent(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);
}

function lines(entries: [string, string | undefined][]): string {
  return entries.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}: ${v}`).join('\n');
}

function range(start: Date, end: Date, timeZone: string): Pick<EventContent, 'start' | 'end' | 'isAllDay'> {
  return { start: { dateTime: toWallClock(start, timeZone), timeZone }, end: { dateTime: toWallClock(end, timeZone), timeZone }, isAllDay: false };
}

/**
 * Renders a planned item as event content in `timeZone`, or null when it has nothing to show (an un-planned
 * appointment). Pure: same item and zone, same content and hash.
 */
export function buildDesiredEvent(item: PlannedItem, timeZone: string): DesiredEvent | null {
  if (item.resource === null) return null;
  let content: EventContent;
  let endsAt: Date;
  switch (item.kind) {
    case 'appointment': {
      if (item.start === null || item.end === null) return null;
      content = {
        subject: item.customer ? `${item.title} – ${item.customer}` : item.title,
        body: { contentType: 'text', content: lines([['Customer', item.customer], ['Address', item.address], ['Phone', item.phone], ['Notes', item.notes]]) },
        ...range(item.start, item.end, timeZone),
        showAs: 'busy',
        ...(item.address ? { location: { displayName: item.address } } : {}),
        isReminderOn: false,
      };
      endsAt = item.end;
      break;
    }
    case 'unavailability':
      content = {
        subject: item.reason ? `Unavailable: ${item.reason}` : 'Unavailable',
        body: { contentType: 'text', content: '' },
        ...range(item.start, item.end, timeZone),
        showAs: 'oof',
        isReminderOn: false,
      };
      endsAt = item.end;
      break;
    case 'workingDay': {
      const allDay = item.from === undefined || item.to === undefined;
      // All-day events need midnight to midnight in one zone: https://learn.microsoft.com/en-us/graph/api/resources/event (isAllDay)
      const start = allDay ? `${item.date}T00:00:00` : `${item.date}T${item.from}:00`;
      const end = allDay ? `${addDays(item.date, 1)}T00:00:00` : `${item.date}T${item.to}:00`;
      content = {
        subject: item.note ? `Working day: ${item.note}` : 'Working day',
        body: { contentType: 'text', content: '' },
        start: { dateTime: start, timeZone },
        end: { dateTime: end, timeZone },
        isAllDay: allDay,
        showAs: 'free',
        isReminderOn: false,
      };
      // The day's end in any zone is within a day of this; daysBack is coarse.
      endsAt = new Date(`${addDays(item.date, 1)}T00:00:00Z`);
      break;
    }
  }
  return { itemKey: item._id, resource: item.resource, version: item.version, hash: hashContent(content), content, endsAt };
}

/** The POST/PATCH body: content plus our two extended properties. */
export function eventPayload(desired: DesiredEvent): Record<string, unknown> {
  return {
    ...desired.content,
    singleValueExtendedProperties: [
      { id: mailroomIdProperty, value: desired.itemKey },
      { id: mailroomHashProperty, value: desired.hash },
    ],
  };
}
