import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/index.ts';
import { AppError, toAppError } from '../core/index.ts';
import type { CalendarReadJobConfig } from '../config/job-config.ts';
import type { GraphClient } from '../graph/index.ts';
import type { JobHandlerContext, JobHandlerResult } from '../jobs/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import { toCalendarEventRecord, type CalendarEventRecord, type GraphCalendarEvent } from './calendar-event-record.ts';
import { computeWindow, windowNeedsMove } from './calendar-window.ts';
import { readCalendarViewDelta } from './read-calendar-view-delta.ts';
import { createMailboxPathResolver } from './resolve-mailbox-path.ts';
import { createViewSyncStateStore } from './view-sync-state-store.ts';

export interface CalendarReadDeps {
  store: Store;
  graph: GraphClient;
  clock: Clock;
}

/**
 * One run of a calendar-read job: per user, one calendarView delta round into `calendar_events`. The first run (and
 * one after the window moved or a token expired) reads the whole window and sweeps what it did not see; later runs
 * apply only changes. Series masters are not stored: the view holds their occurrences.
 */
export async function runCalendarRead(deps: CalendarReadDeps, job: CalendarReadJobConfig, ctx: JobHandlerContext): Promise<JobHandlerResult> {
  const events = deps.store.collection<CalendarEventRecord>(collectionNames.calendarEvents);
  const states = createViewSyncStateStore(deps.store);
  const pathOf = createMailboxPathResolver(deps.graph, job.lookupPrincipalName, ctx.signal);
  const now = deps.clock();

  for (const [index, address] of job.users.entries()) {
    if (ctx.signal.aborted) throw new AppError('JOB_ABORTED', `stopped before ${address}`);
    const user = address.toLowerCase();
    const round = randomUUID();
    try {
      const saved = await states.load('read', job.name, user);
      const moved = saved !== null && windowNeedsMove({ start: saved.windowStart, end: saved.windowEnd }, now, job.daysBack, job.daysAhead);
      const window = saved && !moved ? { start: saved.windowStart, end: saved.windowEnd } : computeWindow(now, job.daysBack, job.daysAhead);
      let changed = 0;
      let removed = 0;
      const result = await readCalendarViewDelta<GraphCalendarEvent>(deps.graph, await pathOf(address), window, moved ? null : (saved?.deltaLink ?? null), {
        changed: async (items) => {
          for (const item of items) {
            if (item.type === 'seriesMaster') continue;
            const record = toCalendarEventRecord(user, item, round, deps.clock());
            if (record === null) continue;
            await withStoreErrors('save calendar event', () => events.replaceOne({ _id: record._id }, record, { upsert: true }));
            changed++;
          }
        },
        removed: async (ids) => {
          // A removed series master takes its occurrences along.
          const result = await withStoreErrors('remove calendar events', () =>
            events.deleteMany({ user, $or: [{ eventId: { $in: ids } }, { seriesMasterId: { $in: ids } }] }));
          removed += result.deletedCount;
        },
      }, ctx.signal);
      let swept = 0;
      if (result.full) {
        const sweep = await withStoreErrors('sweep calendar events', () => events.deleteMany({ user, round: { $ne: round } }));
        swept = sweep.deletedCount;
      }
      await states.save({ kind: 'read', job: job.name, mailbox: user, deltaLink: result.deltaLink, windowStart: window.start, windowEnd: window.end, updatedAt: deps.clock() });
      if (result.restarted) ctx.run.note(`${user}: delta token expired; read the window again`);
      if (moved) ctx.run.note(`${user}: window moved to ${window.start.toISOString().slice(0, 10)} – ${window.end.toISOString().slice(0, 10)}`);
      ctx.run.addItem({ key: user, outcome: 'succeeded', action: result.full ? 'full' : 'delta', changed, removed: removed + swept });
      ctx.run.count('eventsChanged', changed);
      ctx.run.count('eventsRemoved', removed + swept);
      ctx.run.count('succeeded');
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const appError = toAppError(error);
      ctx.run.addItem({ key: user, outcome: 'failed', error: { code: appError.code, message: appError.message } });
      ctx.run.count('failed');
    }
    ctx.onProgress({ done: index + 1, total: job.users.length, label: 'calendars' });
  }
  return {};
}
