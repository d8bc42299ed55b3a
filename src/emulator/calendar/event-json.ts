import type { OperationContext } from '../graph/operation-context.ts';
import { matchesFilter, parseFilter } from '../http/odata-filter.ts';
import { GraphError } from '../http/graph-error.ts';
import type { EventInstance, EventRecord, ExtendedProperty } from './calendar-store.ts';
import { ianaZone, toLocalDateTime } from './time-zones.ts';

/** The zone to render in: `Prefer: outlook.timezone` (acknowledged in Preference-Applied), else UTC. */
export function renderZone(ctx: OperationContext): string {
  const zone = ctx.prefer.timeZone;
  if (zone === undefined) return 'UTC';
  ianaZone(zone);
  ctx.applied.add(`outlook.timezone="${zone}"`);
  return zone;
}

function dateTimeIn(ms: number, zone: string): { dateTime: string; timeZone: string } {
  return { dateTime: toLocalDateTime(ms, zone), timeZone: zone };
}

/**
 * `$expand=singleValueExtendedProperties($filter=id eq '…')`: extended properties are never returned without it
 * (https://learn.microsoft.com/en-us/graph/api/singlevaluelegacyextendedproperty-get).
 */
export function expandedProperties(expand: string | undefined, properties: ExtendedProperty[]): ExtendedProperty[] | undefined {
  if (expand === undefined) return undefined;
  const match = /singleValueExtendedProperties(?:\((.*)\))?/i.exec(expand);
  if (match === null) return undefined;
  const inner = match[1];
  if (inner === undefined || inner.trim() === '') return properties.map((p) => ({ ...p }));
  const filterText = /^\$?filter=(.*)$/is.exec(inner.trim())?.[1];
  if (filterText === undefined) throw new GraphError(400, 'BadRequest', `Unsupported $expand option '${inner}'.`);
  const filter = parseFilter(filterText);
  return properties.filter((p) => matchesFilter(filter, p)).map((p) => ({ ...p }));
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** An event (series master, single instance, occurrence or exception) as Graph renders it. */
export function eventJson(ctx: OperationContext, record: EventRecord, instance: EventInstance | undefined, zone: string, expand: string | undefined): Record<string, unknown> {
  const props = instance?.props ?? record.props;
  const startMs = instance?.startMs ?? record.startMs;
  const endMs = instance?.endMs ?? record.endMs;
  const type = instance?.type ?? (record.recurrence === null ? 'singleInstance' : 'seriesMaster');
  const body = (props.body as { contentType?: string; content?: string } | undefined) ?? { contentType: 'html', content: '' };
  const owner = ctx.target;
  // All-day events keep their creation zone's dates regardless of Prefer: outlook.timezone.
  const eventZone = record.isAllDay ? record.start.timeZone : zone;
  const location = props.location as { displayName?: string } | undefined;
  const out: Record<string, unknown> = {
    '@odata.etag': `W/"${instance?.changeKey ?? record.changeKey}"`,
    id: instance?.id ?? record.id,
    createdDateTime: `${record.createdDateTime.slice(0, 19)}.0000000Z`,
    lastModifiedDateTime: `${record.lastModifiedDateTime.slice(0, 19)}.0000000Z`,
    changeKey: instance?.changeKey ?? record.changeKey,
    categories: (props.categories as string[] | undefined) ?? [],
    transactionId: record.transactionId,
    originalStartTimeZone: record.start.timeZone,
    originalEndTimeZone: record.end.timeZone,
    iCalUId: instance === undefined || instance.type === 'singleInstance' ? record.iCalUId : `${record.iCalUId}${(instance.originalStart ?? '').replace(/\D/g, '').slice(0, 8)}`,
    uid: record.iCalUId,
    reminderMinutesBeforeStart: (props.reminderMinutesBeforeStart as number | undefined) ?? 15,
    isReminderOn: (props.isReminderOn as boolean | undefined) ?? true,
    hasAttachments: false,
    subject: text(props.subject),
    bodyPreview: text(body.content).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 255),
    importance: (props.importance as string | undefined) ?? 'normal',
    sensitivity: (props.sensitivity as string | undefined) ?? 'normal',
    isAllDay: record.isAllDay,
    isCancelled: record.isCancelled === true,
    isOrganizer: record.organizer === undefined,
    responseRequested: (props.responseRequested as boolean | undefined) ?? true,
    seriesMasterId: instance === undefined || instance.type === 'singleInstance' ? null : record.id,
    showAs: (props.showAs as string | undefined) ?? 'busy',
    type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(instance?.id ?? record.id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting: (props.isOnlineMeeting as boolean | undefined) ?? false,
    onlineMeetingProvider: 'unknown',
    allowNewTimeProposals: (props.allowNewTimeProposals as boolean | undefined) ?? true,
    isDraft: false,
    hideAttendees: false,
    responseStatus: record.organizer === undefined ? { response: 'organizer', time: '0001-01-01T00:00:00Z' } : { response: 'accepted', time: `${record.createdDateTime.slice(0, 19)}Z` },
    body: { contentType: (body.contentType ?? 'html').toLowerCase(), content: text(body.content) },
    start: dateTimeIn(startMs, eventZone),
    end: dateTimeIn(endMs, eventZone),
    location: { displayName: location?.displayName ?? '', locationType: 'default', uniqueIdType: 'unknown' },
    locations: location?.displayName ? [{ displayName: location.displayName, locationType: 'default' }] : [],
    recurrence: instance === undefined ? record.recurrence : null,
    attendees: (props.attendees as unknown[] | undefined) ?? [],
    // An attendee's copy names the meeting's organizer; the organizer's own event names the calendar's owner.
    organizer: { emailAddress: record.organizer ?? { name: owner?.user?.displayName ?? owner?.room?.displayName ?? owner?.upn ?? '', address: owner?.upn ?? '' } },
    onlineMeeting: null,
  };
  if (instance !== undefined && instance.type !== 'singleInstance') out.originalStart = `${(instance.originalStart ?? '').slice(0, 19)}Z`;
  // Occurrences and exceptions name their series and original date (`OID.<master id>.<yyyy-mm-dd>`); others have none.
  out.occurrenceId = instance !== undefined && instance.type !== 'singleInstance' ? `OID.${record.id}.${(instance.originalStart ?? '').slice(0, 10)}` : null;
  const expanded = expandedProperties(expand, record.extendedProperties);
  if (expanded !== undefined) out.singleValueExtendedProperties = expanded;
  return out;
}

/** What `$filter` sees: rendered fields plus extended properties (filterable even when not expanded). */
export function eventFilterView(json: Record<string, unknown>, record: EventRecord): Record<string, unknown> {
  return { ...json, singleValueExtendedProperties: record.extendedProperties };
}
