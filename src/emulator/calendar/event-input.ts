import { GraphError } from '../http/graph-error.ts';
import type { CalendarSet, DateTimeTimeZone, EventRecord, ExtendedProperty } from './calendar-store.ts';
import { validateRecurrence, type PatternedRecurrence } from './recurrence.ts';
import { ianaZone, toLocalDateTime, toUtcMs } from './time-zones.ts';

const SETTABLE = new Set([
  'subject', 'body', 'location', 'locations', 'attendees', 'showAs', 'importance', 'sensitivity', 'categories', 'isReminderOn',
  'reminderMinutesBeforeStart', 'responseRequested', 'isOnlineMeeting', 'allowNewTimeProposals', 'hideAttendees', 'onlineMeetingProvider',
]);
const STRUCTURAL = new Set(['start', 'end', 'isAllDay', 'recurrence', 'singleValueExtendedProperties', 'transactionId']);
const READ_ONLY = new Set([
  'id', 'changeKey', 'createdDateTime', 'lastModifiedDateTime', 'iCalUId', 'uid', 'type', 'seriesMasterId', 'organizer', 'webLink', 'isOrganizer',
  'isCancelled', 'responseStatus', 'originalStartTimeZone', 'originalEndTimeZone', 'originalStart', 'bodyPreview', 'hasAttachments', 'isDraft',
]);
const SHOW_AS = new Set(['free', 'tentative', 'busy', 'oof', 'workingElsewhere', 'unknown']);
/** `{type} {guid} Name {name}`, `{type} {guid} Id {id}` or `{type} {proptag}`. */
const EXTENDED_ID = /^(String|Integer|Boolean|SystemTime|Binary|Double|Float|Currency|Long|Short|CLSID|Object)\s+(\{[0-9a-f-]{36}\}\s+(Name\s+\S.*|Id\s+0x[0-9a-f]+)|0x[0-9a-f]{4})$/i;

export interface EventInput {
  props: Record<string, unknown>;
  start: DateTimeTimeZone | undefined;
  end: DateTimeTimeZone | undefined;
  isAllDay: boolean | undefined;
  recurrence: PatternedRecurrence | null | undefined;
  extendedProperties: ExtendedProperty[] | undefined;
  transactionId: string | undefined;
}

function dateTimeTimeZone(value: unknown, name: string): DateTimeTimeZone {
  const v = value as Partial<DateTimeTimeZone> | null;
  if (v === null || typeof v !== 'object' || typeof v.dateTime !== 'string' || typeof v.timeZone !== 'string') {
    throw new GraphError(400, 'ErrorInvalidRequest', `The property '${name}' needs dateTime and timeZone.`);
  }
  ianaZone(v.timeZone);
  return { dateTime: v.dateTime, timeZone: v.timeZone };
}

export function parseEventInput(body: Record<string, unknown>): EventInput {
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata.') || READ_ONLY.has(key) || STRUCTURAL.has(key)) continue;
    if (!SETTABLE.has(key)) {
      throw new GraphError(400, 'RequestBodyRead', `The property '${key}' does not exist on type 'microsoft.graph.event'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    }
    props[key] = value;
  }
  if (props.showAs !== undefined && !SHOW_AS.has(String(props.showAs))) throw new GraphError(400, 'RequestBodyRead', `Invalid value '${String(props.showAs)}' for showAs.`);
  if (props.attendees !== undefined) {
    if (!Array.isArray(props.attendees)) throw new GraphError(400, 'RequestBodyRead', 'attendees must be a collection.');
    props.attendees = props.attendees.map((a: unknown) => {
      const attendee = a as { emailAddress?: { address?: unknown; name?: unknown }; type?: unknown };
      if (typeof attendee.emailAddress?.address !== 'string') throw new GraphError(400, 'ErrorInvalidRecipients', 'An attendee needs an email address.');
      return { type: attendee.type ?? 'required', status: { response: 'none', time: '0001-01-01T00:00:00Z' }, emailAddress: { name: attendee.emailAddress.name ?? attendee.emailAddress.address, address: attendee.emailAddress.address } };
    });
  }
  let extendedProperties: ExtendedProperty[] | undefined;
  if (body.singleValueExtendedProperties !== undefined) {
    if (!Array.isArray(body.singleValueExtendedProperties)) throw new GraphError(400, 'RequestBodyRead', 'singleValueExtendedProperties must be a collection.');
    extendedProperties = body.singleValueExtendedProperties.map((p: unknown) => {
      const property = p as { id?: unknown; value?: unknown };
      if (typeof property.id !== 'string' || !EXTENDED_ID.test(property.id.trim())) {
        throw new GraphError(400, 'ErrorInvalidProperty', `The extended property id '${String(property.id)}' is not valid.`);
      }
      return { id: property.id.trim(), value: String(property.value ?? '') };
    });
  }
  const transactionId = body.transactionId === undefined || body.transactionId === null ? undefined : String(body.transactionId);
  return {
    props,
    start: body.start === undefined ? undefined : dateTimeTimeZone(body.start, 'start'),
    end: body.end === undefined ? undefined : dateTimeTimeZone(body.end, 'end'),
    isAllDay: typeof body.isAllDay === 'boolean' ? body.isAllDay : undefined,
    recurrence: body.recurrence === undefined ? undefined : body.recurrence === null ? null : validateRecurrence(body.recurrence),
    extendedProperties,
    transactionId,
  };
}

/** Start/end checks: end after start; all-day events start and end at midnight in their zone. */
export function resolveTimes(start: DateTimeTimeZone, end: DateTimeTimeZone, isAllDay: boolean): { startMs: number; endMs: number } {
  const startMs = toUtcMs(start.dateTime, start.timeZone);
  const endMs = toUtcMs(end.dateTime, end.timeZone);
  if (endMs < startMs) throw new GraphError(400, 'ErrorInvalidRequest', 'The end time of the event must be later than its start time.');
  if (isAllDay) {
    const midnight = (ms: number, zone: string): boolean => toLocalDateTime(ms, zone).slice(11, 19) === '00:00:00';
    if (!midnight(startMs, start.timeZone) || !midnight(endMs, end.timeZone) || endMs === startMs) {
      throw new GraphError(400, 'ErrorPropertyValidationFailure', 'An all-day event must start and end at midnight, and last at least one day.');
    }
  }
  return { startMs, endMs };
}

export function mergeExtendedProperties(existing: ExtendedProperty[], updates: ExtendedProperty[]): ExtendedProperty[] {
  const out = existing.map((p) => ({ ...p }));
  for (const update of updates) {
    const current = out.find((p) => p.id.toLowerCase() === update.id.toLowerCase());
    if (current === undefined) out.push(update);
    else current.value = update.value;
  }
  return out;
}

export type NewEvent = Parameters<CalendarSet['addEvent']>[1];

export function newEventFrom(input: EventInput): NewEvent {
  if (input.start === undefined || input.end === undefined) {
    throw new GraphError(400, 'ErrorInvalidRequest', 'An event needs both start and end.');
  }
  const isAllDay = input.isAllDay ?? false;
  const { startMs, endMs } = resolveTimes(input.start, input.end, isAllDay);
  return {
    transactionId: input.transactionId ?? null,
    props: input.props,
    start: input.start,
    end: input.end,
    startMs,
    endMs,
    isAllDay,
    recurrence: input.recurrence ?? null,
    extendedProperties: input.extendedProperties ?? [],
  };
}

export function applyEventInput(record: EventRecord, input: EventInput): void {
  Object.assign(record.props, input.props);
  const start = input.start ?? record.start;
  const end = input.end ?? record.end;
  const isAllDay = input.isAllDay ?? record.isAllDay;
  if (input.start !== undefined || input.end !== undefined || input.isAllDay !== undefined) {
    const times = resolveTimes(start, end, isAllDay);
    Object.assign(record, { start, end, isAllDay, startMs: times.startMs, endMs: times.endMs });
  }
  if (input.recurrence !== undefined) record.recurrence = input.recurrence;
  if (input.extendedProperties !== undefined) record.extendedProperties = mergeExtendedProperties(record.extendedProperties, input.extendedProperties);
}
