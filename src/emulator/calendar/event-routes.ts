import { empty, json, type EmulatorResponse } from '../http/emulator-types.ts';
import { GraphError, idMalformed, itemNotFound } from '../http/graph-error.ts';
import { matchesFilter, readProperty } from '../http/odata-filter.ts';
import { applySelect, parseQueryOptions, readOption } from '../http/query-options.ts';
import type { Router } from '../http/router.ts';
import { readJsonBody } from '../graph/mail-folder-routes.ts';
import type { OperationContext, RouteMeta } from '../graph/operation-context.ts';
import { pageOf } from '../graph/paging.ts';
import { CALENDAR_READ, CALENDAR_WRITE } from '../graph/permissions.ts';
import { isWellFormedId, newChangeKey } from '../state/ids.ts';
import type { CalendarRecord, CalendarSet, EventRecord } from './calendar-store.ts';
import { applyEventInput, newEventFrom, parseEventInput, resolveTimes } from './event-input.ts';
import { eventFilterView, eventJson, renderZone } from './event-json.ts';
import { cancelAtRooms, forwardToRooms } from './room-booking.ts';
import { toUtcMs } from './time-zones.ts';

export function calendarsOf(ctx: OperationContext): CalendarSet {
  const set = ctx.target?.calendars;
  if (set === undefined) throw new Error('calendar route without a mailbox');
  return set;
}

/** `{calendar}` param → that calendar; routes without it use the default calendar. */
export function calendarOf(ctx: OperationContext): CalendarRecord {
  const set = calendarsOf(ctx);
  const id = ctx.params.calendar;
  if (id === undefined) return set.defaultCalendar();
  const calendar = set.calendarById(id);
  if (calendar !== undefined) return calendar;
  if (isWellFormedId(id)) throw itemNotFound();
  throw idMalformed();
}

function calendarJson(ctx: OperationContext, calendar: CalendarRecord): Record<string, unknown> {
  const owner = ctx.target;
  return {
    id: calendar.id,
    name: calendar.name,
    color: 'auto',
    hexColor: '',
    isDefaultCalendar: calendar.isDefault,
    changeKey: `CAL${calendar.version}`,
    // The class id of the calendar group ("My Calendars" for every calendar here; https://learn.microsoft.com/en-us/graph/api/resources/calendar).
    groupClassId: '0006f0b7-0000-0000-c000-000000000046',
    canShare: true,
    canViewPrivateItems: true,
    canEdit: true,
    allowedOnlineMeetingProviders: ['teamsForBusiness'],
    defaultOnlineMeetingProvider: 'teamsForBusiness',
    isTallyingResponses: true,
    isRemovable: !calendar.isDefault,
    owner: { name: owner?.user?.displayName ?? owner?.room?.displayName ?? '', address: owner?.upn ?? '' },
  };
}

function listEvents(ctx: OperationContext): EmulatorResponse {
  const calendar = calendarOf(ctx);
  const options = parseQueryOptions(ctx.op.query);
  const zone = renderZone(ctx);
  let rendered = [...calendar.events.values()].map((record) => ({ record, json: eventJson(ctx, record, undefined, zone, options.expand) }));
  if (options.filter !== undefined) {
    const filter = options.filter;
    rendered = rendered.filter(({ record, json: j }) => matchesFilter(filter, eventFilterView(j, record)));
  }
  if (options.orderBy !== undefined) {
    const { property, descending } = options.orderBy;
    const key = (j: Record<string, unknown>): string => {
      const value = readProperty(j, property.split('/')[0] ?? '');
      return String(property.includes('/') ? readProperty(value, property.split('/')[1] ?? '') : (value ?? ''));
    };
    rendered.sort((a, b) => (descending ? key(b.json).localeCompare(key(a.json)) : key(a.json).localeCompare(key(b.json))));
  }
  return json(200, {
    '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${ctx.target?.upn ?? ''}')/events`,
    ...pageOf(ctx, rendered, options.skip, options.top ?? 10, ({ json: j }) => applySelect(j, options.select)),
  });
}

/** POST: `transactionId` makes a retried create return the first event instead of a duplicate. */
function createEvent(ctx: OperationContext): EmulatorResponse {
  const set = calendarsOf(ctx);
  const calendar = calendarOf(ctx);
  const input = parseEventInput(readJsonBody(ctx));
  const zone = renderZone(ctx);
  const options = parseQueryOptions(ctx.op.query);
  const existing = input.transactionId === undefined ? undefined : calendar.byTransactionId.get(input.transactionId);
  const record = existing ?? set.addEvent(calendar, newEventFrom(input));
  if (existing === undefined) forwardToRooms(ctx.env.state(), ctx.target, record);
  return json(201, { '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${ctx.target?.upn ?? ''}')/events/$entity`, ...eventJson(ctx, record, undefined, zone, options.expand) });
}

interface Located {
  record: EventRecord;
  originalStart: string | undefined;
}

function locateEvent(ctx: OperationContext): Located {
  const set = calendarsOf(ctx);
  const id = ctx.params.id ?? '';
  const record = set.event(id);
  const calendarId = ctx.params.calendar;
  if (record !== undefined) {
    if (calendarId !== undefined && record.calendarId !== calendarOf(ctx).id) throw itemNotFound();
    return { record, originalStart: undefined };
  }
  const occurrence = set.occurrence(id);
  if (occurrence !== undefined && set.event(occurrence.master.id) !== undefined && !occurrence.master.cancelled.has(occurrence.originalStart)) {
    return { record: occurrence.master, originalStart: occurrence.originalStart };
  }
  if (!isWellFormedId(id)) throw idMalformed();
  throw itemNotFound();
}

function renderLocated(ctx: OperationContext, located: Located, status: number): EmulatorResponse {
  const zone = renderZone(ctx);
  const options = parseQueryOptions(ctx.op.query);
  let body: Record<string, unknown>;
  if (located.originalStart === undefined) {
    body = eventJson(ctx, located.record, undefined, zone, options.expand);
  } else {
    const original = Date.parse(located.originalStart);
    const instance = calendarsOf(ctx).instances([calendarsOf(ctx).calendarById(located.record.calendarId) as CalendarRecord], original - 86_400_000 * 2, original + 86_400_000 * 2, located.record)
      .find((i) => i.originalStart === located.originalStart);
    if (instance === undefined) throw itemNotFound();
    body = eventJson(ctx, located.record, instance, zone, options.expand);
  }
  return json(status, { '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${ctx.target?.upn ?? ''}')/events/$entity`, ...applySelect(body, options.select) });
}

function patchEvent(ctx: OperationContext): EmulatorResponse {
  const located = locateEvent(ctx);
  const input = parseEventInput(readJsonBody(ctx));
  if (input.transactionId !== undefined && input.transactionId !== located.record.transactionId) {
    throw new GraphError(400, 'ErrorInvalidRequest', 'The transactionId of an event cannot be changed.');
  }
  if (located.originalStart === undefined) {
    applyEventInput(located.record, input);
    // The organizer's change reaches the rooms' copies; a change to an attendee's copy stays on that copy.
    forwardToRooms(ctx.env.state(), ctx.target, located.record);
  } else {
    // Changing one occurrence makes it an exception of the series.
    const master = located.record;
    const previous = master.exceptions.get(located.originalStart);
    const originalMs = Date.parse(located.originalStart);
    let startMs = previous?.startMs ?? originalMs;
    let endMs = previous?.endMs ?? originalMs + (master.endMs - master.startMs);
    if (input.start !== undefined || input.end !== undefined) {
      const start = input.start ?? { dateTime: new Date(startMs).toISOString().slice(0, 19), timeZone: 'UTC' };
      const end = input.end ?? { dateTime: new Date(endMs).toISOString().slice(0, 19), timeZone: 'UTC' };
      ({ startMs, endMs } = resolveTimes(start, end, master.isAllDay));
    }
    master.exceptions.set(located.originalStart, { props: { ...previous?.props, ...input.props }, startMs, endMs, changeKey: newChangeKey() });
  }
  calendarsOf(ctx).touch(located.record);
  return renderLocated(ctx, located, 200);
}

function deleteEvent(ctx: OperationContext): EmulatorResponse {
  // Deleting a meeting on the organizer's calendar sends its cancellation (https://learn.microsoft.com/en-us/graph/api/event-delete).
  removeLocated(ctx, locateEvent(ctx));
  return empty(204);
}

/** A whole event goes (and its rooms get the cancellation); an occurrence is only marked cancelled in its series. */
function removeLocated(ctx: OperationContext, located: ReturnType<typeof locateEvent>): void {
  if (located.originalStart === undefined) {
    calendarsOf(ctx).removeEvent(located.record);
    cancelAtRooms(ctx.env.state(), located.record);
  } else {
    located.record.cancelled.add(located.originalStart);
    calendarsOf(ctx).touch(located.record);
  }
}

/**
 * `POST …/events/{id}/cancel`: the organizer cancels a meeting (the event goes, attendees get the cancellation);
 * an attendee gets 400 (https://learn.microsoft.com/en-us/graph/api/event-cancel). 202 without a body.
 */
function cancelEvent(ctx: OperationContext): EmulatorResponse {
  const located = locateEvent(ctx);
  if (located.record.organizer !== undefined) {
    throw new GraphError(400, 'ErrorInvalidRequest', "Your request can't be completed. You need to be an organizer to cancel a meeting.");
  }
  const body = readJsonBody(ctx);
  if (body.comment !== undefined && typeof body.comment !== 'string') throw new GraphError(400, 'RequestBodyRead', 'comment must be a string.');
  removeLocated(ctx, located);
  return empty(202);
}

/** `startDateTime`/`endDateTime` are required for views; an offset is honoured, none means UTC. */
export function viewWindow(ctx: OperationContext): { fromMs: number; toMs: number; startText: string; endText: string } {
  // Query option names are case-insensitive (the calendarView delta docs write `startdatetime`): https://learn.microsoft.com/en-us/graph/api/event-delta
  const startText = readOption(ctx.op.query, 'startDateTime') ?? null;
  const endText = readOption(ctx.op.query, 'endDateTime') ?? null;
  if (startText === null || endText === null) {
    throw new GraphError(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
  }
  const fromMs = toUtcMs(startText, 'UTC');
  const toMs = toUtcMs(endText, 'UTC');
  return { fromMs, toMs, startText, endText };
}

function listInstances(ctx: OperationContext): EmulatorResponse {
  const located = locateEvent(ctx);
  const window = viewWindow(ctx);
  const options = parseQueryOptions(ctx.op.query);
  const zone = renderZone(ctx);
  const set = calendarsOf(ctx);
  const instances = set.instances([set.calendarById(located.record.calendarId) as CalendarRecord], window.fromMs, window.toMs, located.record);
  return json(200, {
    '@odata.context': `${ctx.env.url}/v1.0/$metadata#Collection(event)`,
    ...pageOf(ctx, instances, options.skip, options.top ?? 10, (i) => applySelect(eventJson(ctx, located.record, i, zone, options.expand), options.select)),
  });
}

export function registerEventRoutes(router: Router<RouteMeta>): void {
  const read = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'outlook', permissions: CALENDAR_READ, handler });
  const write = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'outlook', permissions: CALENDAR_WRITE, handler });
  router.add('GET', '/users/{user}/calendars', read((ctx) => json(200, {
    '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${ctx.target?.upn ?? ''}')/calendars`,
    value: calendarsOf(ctx).calendars.map((c) => calendarJson(ctx, c)),
  })));
  router.add('POST', '/users/{user}/calendars', write((ctx) => {
    const name = readJsonBody(ctx).name;
    if (typeof name !== 'string' || name.trim() === '') throw new GraphError(400, 'ErrorInvalidRequest', 'A calendar needs a name.');
    if (calendarsOf(ctx).calendars.some((c) => c.name.toLowerCase() === name.trim().toLowerCase())) {
      throw new GraphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
    }
    return json(201, calendarJson(ctx, calendarsOf(ctx).addCalendar(name.trim(), false)));
  }));
  router.add('GET', '/users/{user}/calendar', read((ctx) => json(200, calendarJson(ctx, calendarOf(ctx)))));
  router.add('GET', '/users/{user}/calendars/{calendar}', read((ctx) => json(200, calendarJson(ctx, calendarOf(ctx)))));
  for (const base of ['/users/{user}/events', '/users/{user}/calendar/events', '/users/{user}/calendars/{calendar}/events']) {
    router.add('GET', base, read(listEvents));
    router.add('POST', base, write(createEvent));
    router.add('GET', `${base}/{id}`, read((ctx) => renderLocated(ctx, locateEvent(ctx), 200)));
    router.add('PATCH', `${base}/{id}`, write(patchEvent));
    router.add('DELETE', `${base}/{id}`, write(deleteEvent));
    router.add('GET', `${base}/{id}/instances`, read(listInstances));
    router.add('POST', `${base}/{id}/cancel`, write(cancelEvent));
  }
}
