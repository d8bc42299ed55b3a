import type { Clock } from '../core/index.ts';
import { AppError, toAppError } from '../core/index.ts';
import type { CalendarPublishJobConfig } from '../config/job-config.ts';
import type { BatchRequest, GraphClient } from '../graph/index.ts';
import type { JobHandlerContext, JobHandlerResult } from '../jobs/index.ts';
import type { Store } from '../store/index.ts';
import { buildDesiredEvent, eventPayload, type DesiredEvent } from './build-desired-event.ts';
import { createPlanStore } from './create-plan-store.ts';
import { listOwnedEvents } from './list-owned-events.ts';
import { planPublish, type OwnedEvent, type PublishAction } from './plan-publish.ts';
import { createPublishStateStore } from './publish-state-store.ts';
import { createMailboxPathResolver } from './resolve-mailbox-path.ts';
import { checkTimeZone } from './wall-clock.ts';

const chunkSize = 20;
const dayMs = 86_400_000;

export interface CalendarPublishDeps {
  store: Store;
  /** Already counting into the run's graphCalls. */
  graph: GraphClient;
  clock: Clock;
}

function request(action: PublishAction, path: string): BatchRequest {
  const json = { 'Content-Type': 'application/json' };
  switch (action.kind) {
    case 'create':
      // transactionId makes a resent create return the first event instead of a second one.
      return { method: 'POST', url: `${path}/events`, headers: json, body: { ...eventPayload(action.desired), transactionId: action.transactionId } };
    case 'update':
      return { method: 'PATCH', url: `${path}/events/${encodeURIComponent(action.eventId)}`, headers: json, body: eventPayload(action.desired) };
    case 'delete':
      return { method: 'DELETE', url: `${path}/events/${encodeURIComponent(action.eventId)}` };
  }
}

/**
 * One run of a calendar-publish job: for each active resource, list the events carrying our id, plan the
 * difference to the planned work, and write it in $batch chunks of 20. State is saved after each chunk, and the
 * run stops between chunks when aborted, so a killed run leaves at most one chunk's outcome unrecorded; the next
 * run finds those events by our property (and a resent create is deduplicated by its transactionId).
 */
export async function runCalendarPublish(deps: CalendarPublishDeps, job: CalendarPublishJobConfig, ctx: JobHandlerContext): Promise<JobHandlerResult> {
  checkTimeZone(job.timeZone);
  const now = deps.clock();
  const cutoff = new Date(now.getTime() - job.daysBack * dayMs);
  const states = createPublishStateStore(deps.store);
  const items = await createPlanStore(deps.store, deps.clock).listItems();
  const desired = items.map((i) => buildDesiredEvent(i, job.timeZone)).filter((d): d is DesiredEvent => d !== null);
  const state = await states.list();

  const inactive = new Set((job.resources ?? []).filter((r) => !r.active).map((r) => r.mailbox.toLowerCase()));
  const candidates = job.resources
    ? job.resources.filter((r) => r.active).map((r) => r.mailbox.toLowerCase())
    : [...new Set([...desired.map((d) => d.resource), ...state.map((s) => s.resource)])].sort();
  if (inactive.size > 0) ctx.run.count('resourcesSkipped', inactive.size);
  if (inactive.size > 0) ctx.run.note(`inactive resources skipped: ${[...inactive].join(', ')}`);

  const pathOf = createMailboxPathResolver(deps.graph, job.lookupPrincipalName, ctx.signal);
  const paths = new Map<string, string>();
  const existing = new Map<string, OwnedEvent[]>();
  const resources: string[] = [];
  for (const resource of candidates) {
    if (ctx.signal.aborted) throw new AppError('JOB_ABORTED', 'stopped while reading calendars');
    try {
      const path = await pathOf(resource);
      existing.set(resource, await listOwnedEvents(deps.graph, path, ctx.signal));
      paths.set(resource, path);
      resources.push(resource);
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const appError = toAppError(error);
      // One mailbox failing must not stop the others; its items wait for the next run.
      ctx.run.addItem({ key: resource, outcome: 'failed', action: 'list', error: { code: appError.code, message: appError.message } });
      ctx.run.count('failed');
    }
  }

  // Adopt events a crashed run created but could not record, so hand deletions are told apart from them later.
  const stateByKey = new Map(state.map((s) => [`${s.resource}\n${s.itemKey}`, s]));
  for (const [resource, events] of existing) {
    for (const event of events) {
      const known = stateByKey.get(`${resource}\n${event.itemKey}`);
      if (known?.eventId === event.eventId) continue;
      if (!desired.some((d) => d.resource === resource && d.itemKey === event.itemKey)) continue;
      const adopted = { resource, itemKey: event.itemKey, eventId: event.eventId, generation: known?.generation ?? 0 };
      await states.save({ ...adopted, hash: event.hash }, now);
      stateByKey.set(`${resource}\n${event.itemKey}`, adopted);
    }
  }

  const actions = planPublish({ resources, desired, existing, state: [...stateByKey.values()], cutoff });
  const inScope = desired.filter((d) => resources.includes(d.resource) && d.endsAt >= cutoff).length;
  const changed = new Set(actions.filter((a) => a.kind !== 'delete').map((a) => `${a.resource}\n${a.itemKey}`)).size;
  ctx.run.count('unchanged', inScope - changed);
  ctx.onProgress({ done: 0, total: actions.length, label: 'calendar writes' });

  let done = 0;
  for (let start = 0; start < actions.length; start += chunkSize) {
    if (ctx.signal.aborted) throw new AppError('JOB_ABORTED', `stopped after ${done} of ${actions.length} calendar writes`);
    const chunk = actions.slice(start, start + chunkSize);
    for (const action of chunk) {
      if (action.kind === 'create') await states.save({ resource: action.resource, itemKey: action.itemKey, eventId: null, generation: action.generation, hash: null }, now);
    }
    const responses = await deps.graph.batch(chunk.map((a) => request(a, paths.get(a.resource)!)), { signal: ctx.signal });
    for (const [index, action] of chunk.entries()) {
      const response = responses[index]!;
      const base = { key: action.itemKey, resource: action.resource, action: action.kind };
      // A delete of an event that is already gone reached its goal.
      const ok = response.status < 400 || (action.kind === 'delete' && response.status === 404);
      if (!ok) {
        const error = response.error ?? new AppError('GRAPH_ERROR', `status ${response.status}`);
        ctx.run.addItem({ ...base, outcome: 'failed', error: { code: error.code, message: error.message } });
        ctx.run.count('failed');
        continue;
      }
      if (action.kind === 'create') {
        const eventId = (response.body as { id: string }).id;
        await states.save({ resource: action.resource, itemKey: action.itemKey, eventId, generation: action.generation, hash: action.desired.hash }, now);
        const outcome = action.movedFrom ? 'moved' : action.generation > 0 ? 'recreated' : 'created';
        ctx.run.addItem({ ...base, outcome, target: eventId, ...(action.movedFrom ? { from: action.movedFrom } : {}), subject: action.desired.content.subject });
        ctx.run.count(outcome);
      } else if (action.kind === 'update') {
        await states.save({ resource: action.resource, itemKey: action.itemKey, eventId: action.eventId, generation: stateByKey.get(`${action.resource}\n${action.itemKey}`)?.generation ?? 0, hash: action.desired.hash }, now);
        ctx.run.addItem({ ...base, outcome: 'updated', target: action.eventId, subject: action.desired.content.subject });
        ctx.run.count('updated');
      } else {
        if (action.reason !== 'duplicate') await states.remove(action.resource, action.itemKey);
        ctx.run.addItem({ ...base, outcome: 'deleted', target: action.eventId, reason: action.reason });
        ctx.run.count('deleted');
      }
    }
    done += chunk.length;
    ctx.onProgress({ done, total: actions.length, label: 'calendar writes' });
    await ctx.run.flush();
  }
  return {};
}
