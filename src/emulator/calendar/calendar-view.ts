import { randomBytes } from 'node:crypto';
import { json, type EmulatorResponse } from '../http/emulator-types.ts';
import { GraphError } from '../http/graph-error.ts';
import { matchesFilter } from '../http/odata-filter.ts';
import { applySelect, parseQueryOptions, readOption } from '../http/query-options.ts';
import type { Router } from '../http/router.ts';
import { syncStateGone } from '../graph/message-delta.ts';
import type { OperationContext, RouteMeta } from '../graph/operation-context.ts';
import { linkWith, pageOf } from '../graph/paging.ts';
import { CALENDAR_READ } from '../graph/permissions.ts';
import type { CalendarSet } from './calendar-store.ts';
import { eventFilterView, eventJson, renderZone } from './event-json.ts';
import { calendarOf, calendarsOf, viewWindow } from './event-routes.ts';

function calendarView(ctx: OperationContext): EmulatorResponse {
  const calendar = calendarOf(ctx);
  const window = viewWindow(ctx);
  const options = parseQueryOptions(ctx.op.query);
  const zone = renderZone(ctx);
  let rendered = calendarsOf(ctx).instances([calendar], window.fromMs, window.toMs).map((i) => ({ i, json: eventJson(ctx, i.master, i, zone, options.expand) }));
  if (options.filter !== undefined) {
    const filter = options.filter;
    rendered = rendered.filter(({ i, json: j }) => matchesFilter(filter, eventFilterView(j, i.master)));
  }
  return json(200, {
    '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${ctx.target?.upn ?? ''}')/calendarView`,
    ...pageOf(ctx, rendered, options.skip, options.top ?? 10, ({ json: j }) => applySelect(j, options.select)),
  });
}

interface SyncState {
  calendarId: string;
  fromMs: number;
  toMs: number;
  generation: number;
  /** What the client knows after this state's round: instance id → changeKey. */
  snapshot: Map<string, string>;
  /** Items of a round still to be paged out (nextLink states only). */
  pending: Record<string, unknown>[] | undefined;
}

const stores = new WeakMap<CalendarSet, { states: Map<string, SyncState>; generation: number }>();

function storeOf(set: CalendarSet): { states: Map<string, SyncState>; generation: number } {
  let store = stores.get(set);
  if (store === undefined) {
    store = { states: new Map(), generation: 0 };
    stores.set(set, store);
  }
  return store;
}

function saveState(ctx: OperationContext, set: CalendarSet, state: Omit<SyncState, 'generation'>): string {
  const store = storeOf(set);
  const token = randomBytes(24).toString('base64url');
  store.generation++;
  store.states.set(token, { ...state, generation: store.generation });
  // A bounded cache, like Exchange's: the oldest sync states are evicted first.
  while (store.states.size > ctx.env.syncStatesRetained) {
    const oldest = store.states.keys().next().value;
    if (oldest === undefined) break;
    store.states.delete(oldest);
  }
  return token;
}

/**
 * calendarView delta (https://learn.microsoft.com/en-us/graph/delta-query-events): the window is fixed by the first
 * call and carried by the tokens; no `$select`; `Prefer: odata.maxpagesize`; deletions as `@removed`.
 */
function calendarViewDelta(ctx: OperationContext): EmulatorResponse {
  const set = calendarsOf(ctx);
  const store = storeOf(set);
  if (readOption(ctx.op.query, '$select') !== undefined) {
    throw new GraphError(400, 'ErrorInvalidUrlQuery', "The query parameter '$select' is not supported with change tracking over the 'CalendarView' resource.");
  }
  const pageSize = Math.min(ctx.prefer.maxPageSize ?? 10, 1000);
  if (ctx.prefer.maxPageSize !== undefined) ctx.applied.add(`odata.maxpagesize=${pageSize}`);
  const skipToken = readOption(ctx.op.query, '$skiptoken');
  const deltaToken = readOption(ctx.op.query, '$deltatoken');
  const token = skipToken ?? deltaToken;
  let state: SyncState | undefined;
  if (token !== undefined) {
    state = store.states.get(token);
    if (state === undefined) throw syncStateGone(0, store.generation);
  }
  let pending: Record<string, unknown>[];
  let snapshot: Map<string, string>;
  let calendarId: string;
  let fromMs: number;
  let toMs: number;
  if (state !== undefined && skipToken !== undefined && state.pending !== undefined) {
    ({ pending, snapshot, calendarId, fromMs, toMs } = { ...state, pending: state.pending });
  } else {
    const calendar = state === undefined ? calendarOf(ctx) : set.calendarById(state.calendarId);
    if (calendar === undefined) throw syncStateGone(state?.generation ?? 0, store.generation);
    ({ fromMs, toMs } = state ?? viewWindow(ctx));
    calendarId = calendar.id;
    const zone = renderZone(ctx);
    const previous = state?.snapshot ?? new Map<string, string>();
    snapshot = new Map();
    pending = [];
    for (const instance of set.instances([calendar], fromMs, toMs)) {
      snapshot.set(instance.id, instance.changeKey);
      if (previous.get(instance.id) !== instance.changeKey) {
        pending.push({ '@odata.type': '#microsoft.graph.event', ...eventJson(ctx, instance.master, instance, zone, undefined) });
      }
    }
    for (const id of previous.keys()) {
      if (!snapshot.has(id)) pending.push({ '@odata.type': '#microsoft.graph.event', id, '@removed': { reason: 'deleted' } });
    }
  }
  const value = pending.slice(0, pageSize);
  const rest = pending.slice(pageSize);
  const tokenParams = ['$skiptoken', '$deltatoken'];
  const body: Record<string, unknown> = { '@odata.context': `${ctx.env.url}/v1.0/$metadata#Collection(event)` };
  if (rest.length > 0) {
    body['@odata.nextLink'] = linkWith(ctx, { $skiptoken: saveState(ctx, set, { calendarId, fromMs, toMs, snapshot, pending: rest }) }, tokenParams);
  } else {
    body['@odata.deltaLink'] = linkWith(ctx, { $deltatoken: saveState(ctx, set, { calendarId, fromMs, toMs, snapshot, pending: undefined }) }, tokenParams);
  }
  body.value = value;
  return json(200, body);
}

export function registerCalendarViewRoutes(router: Router<RouteMeta>): void {
  const read = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'outlook', permissions: CALENDAR_READ, handler });
  for (const base of ['/users/{user}/calendarView', '/users/{user}/calendar/calendarView', '/users/{user}/calendars/{calendar}/calendarView']) {
    router.add('GET', `${base}/delta`, read(calendarViewDelta));
    router.add('GET', base, read(calendarView));
  }
}
