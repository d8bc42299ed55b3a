import { json, type EmulatorResponse } from '../http/emulator-types.ts';
import { GraphError } from '../http/graph-error.ts';
import { matchesFilter, type FilterNode } from '../http/odata-filter.ts';
import { parseQueryOptions, readOption } from '../http/query-options.ts';
import type { Router } from '../http/router.ts';
import type { MailFolder } from '../state/mailbox.ts';
import { resolveFolder } from './mail-folder-routes.ts';
import { messageFilterView, messageJson } from './message-json.ts';
import { requireMailbox, type GraphEnvironment, type OperationContext, type RouteMeta } from './operation-context.ts';
import { linkWith } from './paging.ts';
import { MAIL_READ } from './permissions.ts';

interface DeltaState {
  /** Emulator epoch: tokens from an earlier start or reset are gone. */
  e: string;
  f: string;
  /** Sync-state generation, evicted once `syncStatesRetained` newer ones exist for the folder. */
  g: number;
  /** Changes after this sequence number belong to the round… */
  s: number;
  /** …up to this one (the round's snapshot). */
  t: number;
  /** Position in the folder's change log to continue from (nextLink only). */
  p: number;
}

export function encodeState(state: DeltaState): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decodeState(token: string): DeltaState | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as DeltaState;
    return typeof value.f === 'string' && typeof value.g === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Outlook keeps sync states in a bounded cache; an evicted one is `410 SyncStateNotFound` (graph-behaviour.md §4.6). */
export function syncStateGone(generation: number, highest: number): GraphError {
  return new GraphError(410, 'SyncStateNotFound', `The sync state generation is not found; generation=${generation};[highest=${highest}].`);
}

function checkState(env: GraphEnvironment, folder: MailFolder, token: string | undefined): DeltaState | undefined {
  if (token === undefined) return undefined;
  const state = decodeState(token);
  // A token that does not decode is Exchange's corrupt sync state (400 ErrorInvalidSyncStateData, the code Exchange
  // gives for sync state data it cannot read: https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/responsecode);
  // one that decodes but is unknown here (another folder, an earlier start, evicted) is 410 SyncStateNotFound.
  // Either way the client must drop it and sync again (https://learn.microsoft.com/en-us/graph/delta-query-overview).
  if (state === undefined) throw new GraphError(400, 'ErrorInvalidSyncStateData', 'Synchronization state data is corrupt or otherwise invalid.');
  const evicted = state.g < folder.minGeneration || state.g <= folder.generation - env.syncStatesRetained;
  if (state.e !== env.epoch || state.f !== folder.id || evicted) throw syncStateGone(state.g, folder.generation);
  return state;
}

/** First index in the (sequence-ordered) change log with seq > from. */
function firstAfter(folder: MailFolder, from: number): number {
  let lo = 0;
  let hi = folder.changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((folder.changes[mid]?.seq ?? 0) > from) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Message delta takes one `$filter`: `receivedDateTime ge|gt <DateTimeOffset>` (quoted or not), nothing else
 * (https://learn.microsoft.com/en-us/graph/api/message-delta, "OData query parameters").
 */
function checkDeltaFilter(filter: FilterNode | undefined): void {
  if (filter === undefined) return;
  const ok = filter.kind === 'compare' && (filter.op === 'ge' || filter.op === 'gt') && filter.left.kind === 'path'
    && filter.left.segments.join('/').toLowerCase() === 'receiveddatetime' && filter.right.kind === 'literal'
    && typeof filter.right.value === 'string' && !Number.isNaN(Date.parse(filter.right.value));
  if (!ok) throw new GraphError(400, 'ErrorInvalidUrlQuery', "The only supported $filter on message delta is 'receivedDateTime ge|gt <DateTimeOffset>'.");
}

function messageDelta(ctx: OperationContext): EmulatorResponse {
  const mailbox = requireMailbox(ctx);
  const folder = resolveFolder(mailbox, ctx.params.folder ?? '');
  const options = parseQueryOptions(ctx.op.query);
  checkDeltaFilter(options.filter);
  const skipToken = readOption(ctx.op.query, '$skiptoken');
  const deltaToken = readOption(ctx.op.query, '$deltatoken');
  if (deltaToken === 'latest') {
    // Not supported for messages (graph-behaviour.md §4.6).
    throw new GraphError(400, 'ErrorInvalidUrlQuery', "The value 'latest' is not supported for the $deltatoken parameter of message delta.");
  }
  const changeTypes = new Set((readOption(ctx.op.query, 'changeType') ?? 'created,updated,deleted').split(',').map((s) => s.trim().toLowerCase()));
  const pageSize = Math.min(ctx.prefer.maxPageSize ?? options.top ?? 10, 1000);
  if (ctx.prefer.maxPageSize !== undefined) ctx.applied.add(`odata.maxpagesize=${pageSize}`);

  let from: number;
  let end: number;
  let position: number;
  const continued = checkState(ctx.env, folder, skipToken);
  const previous = continued === undefined ? checkState(ctx.env, folder, deltaToken) : undefined;
  if (continued !== undefined) {
    ({ s: from, t: end, p: position } = continued);
  } else {
    from = previous?.t ?? 0;
    end = mailbox.seq;
    position = firstAfter(folder, from);
  }
  const initial = from === 0;
  const value: Record<string, unknown>[] = [];
  while (position < folder.changes.length && value.length < pageSize) {
    const change = folder.changes[position] as (typeof folder.changes)[number];
    if (change.seq > end) break;
    position++;
    if (folder.latest.get(change.key) !== change.seq) continue;
    if (change.removed) {
      if (initial || !changeTypes.has('deleted')) continue;
      value.push({ '@odata.type': '#microsoft.graph.message', id: ctx.prefer.immutableId ? change.key : change.restId, '@removed': { reason: 'deleted' } });
      continue;
    }
    const record = folder.messages.get(change.key);
    if (record === undefined) continue;
    const kind = record.arrivalSeq > from ? 'created' : 'updated';
    if (!changeTypes.has(kind)) continue;
    if (options.filter !== undefined && !matchesFilter(options.filter, messageFilterView(ctx, record))) continue;
    value.push({ '@odata.type': '#microsoft.graph.message', ...messageJson(ctx, record, options.select, options.expand) });
  }
  const more = position < folder.changes.length && (folder.changes[position]?.seq ?? Infinity) <= end;
  folder.generation++;
  const body: Record<string, unknown> = { '@odata.context': `${ctx.env.url}/v1.0/$metadata#Collection(message)` };
  const tokenParams = ['$skiptoken', '$deltatoken'];
  if (more) {
    const token = encodeState({ e: ctx.env.epoch, f: folder.id, g: folder.generation, s: from, t: end, p: position });
    body['@odata.nextLink'] = linkWith(ctx, { $skiptoken: token }, tokenParams);
  } else {
    const token = encodeState({ e: ctx.env.epoch, f: folder.id, g: folder.generation, s: end, t: end, p: 0 });
    body['@odata.deltaLink'] = linkWith(ctx, { $deltatoken: token }, tokenParams);
  }
  body.value = value;
  return json(200, body);
}

/** Per-folder message delta (https://learn.microsoft.com/en-us/graph/api/message-delta). */
export function registerMessageDeltaRoutes(router: Router<RouteMeta>): void {
  router.add('GET', '/users/{user}/mailFolders/{folder}/messages/delta', { workload: 'outlook', permissions: MAIL_READ, handler: messageDelta });
}

/** Makes every delta token of a mailbox's folders stale (control API, to test resync). */
export function expireSyncStates(folders: Iterable<MailFolder>): void {
  for (const folder of folders) folder.minGeneration = folder.generation + 1;
}
