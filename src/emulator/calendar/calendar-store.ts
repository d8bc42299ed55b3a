import { newChangeKey, newEventId, stableId } from '../state/ids.ts';
import { graphDate } from '../state/message-record.ts';
import { occurrenceDates, type PatternedRecurrence } from './recurrence.ts';
import { localDate, toLocalDateTime, toUtcMs } from './time-zones.ts';

export interface DateTimeTimeZone {
  dateTime: string;
  timeZone: string;
}

export interface ExtendedProperty {
  id: string;
  value: string;
}

/** An event as stored: single instance or series master; occurrences are computed. */
export interface EventRecord {
  id: string;
  calendarId: string;
  iCalUId: string;
  transactionId: string | null;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  /** Everything else Graph lets a client set (subject, body, location, attendees, showAs, …), as given. */
  props: Record<string, unknown>;
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  startMs: number;
  endMs: number;
  isAllDay: boolean;
  recurrence: PatternedRecurrence | null;
  extendedProperties: ExtendedProperty[];
  /** Modified occurrences by original start (ISO), and cancelled ones. */
  exceptions: Map<string, { props: Record<string, unknown>; startMs: number; endMs: number; changeKey: string }>;
  cancelled: Set<string>;
  /**
   * Set on an attendee's copy of a meeting (a room's booking): the organizer, whose own event is the one that can be
   * changed. Absent on the organizer's own events. See room-booking.ts.
   */
  organizer?: { address: string; name: string };
  /** An attendee's copy of a meeting its organizer cancelled: kept on the calendar, flagged (Exchange's default). */
  isCancelled?: boolean;
}

/** One item in a calendar view: a single event, an occurrence or an exception. */
export interface EventInstance {
  id: string;
  master: EventRecord;
  type: 'singleInstance' | 'occurrence' | 'exception';
  startMs: number;
  endMs: number;
  originalStart: string | undefined;
  props: Record<string, unknown>;
  changeKey: string;
}

export interface CalendarRecord {
  id: string;
  name: string;
  isDefault: boolean;
  events: Map<string, EventRecord>;
  byTransactionId: Map<string, EventRecord>;
  /** Bumped on every change, for calendarView delta. */
  version: number;
}

/** A mailbox's calendars and events. */
export class CalendarSet {
  readonly ownerId: string;
  readonly calendars: CalendarRecord[] = [];
  readonly #eventIndex = new Map<string, EventRecord>();
  readonly #occurrenceIndex = new Map<string, { master: EventRecord; originalStart: string }>();
  readonly listeners = new Set<(kind: 'created' | 'updated' | 'deleted', event: EventRecord) => void>();

  constructor(ownerId: string) {
    this.ownerId = ownerId;
  }

  addCalendar(name: string, isDefault: boolean): CalendarRecord {
    const calendar: CalendarRecord = { id: stableId('AAMkAGCal', this.ownerId, name.toLowerCase()), name, isDefault, events: new Map(), byTransactionId: new Map(), version: 0 };
    this.calendars.push(calendar);
    return calendar;
  }

  defaultCalendar(): CalendarRecord {
    return this.calendars.find((c) => c.isDefault) ?? this.calendars[0] ?? this.addCalendar('Calendar', true);
  }

  calendarById(id: string): CalendarRecord | undefined {
    return this.calendars.find((c) => c.id === id);
  }

  event(id: string): EventRecord | undefined {
    return this.#eventIndex.get(id);
  }

  occurrence(id: string): { master: EventRecord; originalStart: string } | undefined {
    return this.#occurrenceIndex.get(id);
  }

  /** `iCalUId`: an attendee's copy of a meeting shares the organizer's (the id "across calendars"). */
  addEvent(calendar: CalendarRecord, event: Omit<EventRecord, 'id' | 'calendarId' | 'iCalUId' | 'createdDateTime' | 'lastModifiedDateTime' | 'changeKey' | 'exceptions' | 'cancelled'>, iCalUId?: string): EventRecord {
    const now = graphDate(new Date());
    const id = newEventId();
    const record: EventRecord = {
      ...event, id, calendarId: calendar.id, iCalUId: iCalUId ?? `040000008200E00074C5B7101A82E008${stableId('', id).replace(/[^A-Za-z0-9]/g, '').slice(0, 40).toUpperCase()}`,
      createdDateTime: now, lastModifiedDateTime: now, changeKey: newChangeKey(), exceptions: new Map(), cancelled: new Set(),
    };
    calendar.events.set(id, record);
    if (record.transactionId !== null) calendar.byTransactionId.set(record.transactionId, record);
    this.#eventIndex.set(id, record);
    calendar.version++;
    for (const listener of this.listeners) listener('created', record);
    return record;
  }

  touch(event: EventRecord): void {
    event.changeKey = newChangeKey();
    event.lastModifiedDateTime = graphDate(new Date());
    const calendar = this.calendarById(event.calendarId);
    if (calendar !== undefined) calendar.version++;
    for (const listener of this.listeners) listener('updated', event);
  }

  removeEvent(event: EventRecord): void {
    const calendar = this.calendarById(event.calendarId);
    calendar?.events.delete(event.id);
    if (event.transactionId !== null) calendar?.byTransactionId.delete(event.transactionId);
    this.#eventIndex.delete(event.id);
    if (calendar !== undefined) calendar.version++;
    for (const listener of this.listeners) listener('deleted', event);
  }

  /** Instances overlapping [fromMs, toMs): singles, occurrences and exceptions, never series masters. */
  instances(calendars: CalendarRecord[], fromMs: number, toMs: number, onlyMaster?: EventRecord): EventInstance[] {
    const out: EventInstance[] = [];
    for (const calendar of calendars) {
      for (const event of calendar.events.values()) {
        if (onlyMaster !== undefined && event !== onlyMaster) continue;
        if (event.recurrence === null) {
          if (event.startMs < toMs && event.endMs > fromMs) {
            out.push({ id: event.id, master: event, type: 'singleInstance', startMs: event.startMs, endMs: event.endMs, originalStart: undefined, props: event.props, changeKey: event.changeKey });
          }
          continue;
        }
        out.push(...this.#expand(event, fromMs, toMs));
      }
    }
    return out.sort((a, b) => a.startMs - b.startMs || a.id.localeCompare(b.id));
  }

  #expand(event: EventRecord, fromMs: number, toMs: number): EventInstance[] {
    const recurrence = event.recurrence as PatternedRecurrence;
    const zone = recurrence.range.recurrenceTimeZone ?? event.start.timeZone;
    const duration = event.endMs - event.startMs;
    const timeOfDay = event.isAllDay ? '00:00:00' : toLocalDateTime(event.startMs, zone).slice(11, 19);
    const out: EventInstance[] = [];
    for (const date of occurrenceDates(recurrence, localDate(toMs + 86_400_000, zone))) {
      const startMs = toUtcMs(`${date}T${timeOfDay}`, zone);
      const originalStart = `${new Date(startMs).toISOString().slice(0, 19)}Z`;
      if (event.cancelled.has(originalStart)) continue;
      const exception = event.exceptions.get(originalStart);
      const s = exception?.startMs ?? startMs;
      const e = exception?.endMs ?? startMs + duration;
      if (s >= toMs || e <= fromMs) continue;
      const id = stableId('AAMkAGOcc', event.id, originalStart);
      this.#occurrenceIndex.set(id, { master: event, originalStart });
      out.push({
        id, master: event, type: exception === undefined ? 'occurrence' : 'exception', startMs: s, endMs: e, originalStart,
        props: exception === undefined ? event.props : { ...event.props, ...exception.props }, changeKey: exception?.changeKey ?? event.changeKey,
      });
    }
    return out;
  }
}
