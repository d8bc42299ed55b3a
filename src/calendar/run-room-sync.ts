import type { Clock } from '../core/index.ts';
import { AppError, toAppError } from '../core/index.ts';
import type { RoomSyncJobConfig } from '../config/job-config.ts';
import type { GraphClient } from '../graph/index.ts';
import type { JobHandlerContext, JobHandlerResult } from '../jobs/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import { applyRoomSyncActions } from './apply-room-sync-actions.ts';
import { computeWindow, windowNeedsMove } from './calendar-window.ts';
import { planRoomSync } from './plan-room-sync.ts';
import { readRoomChanges } from './read-room-changes.ts';
import type { RoomReservation } from './room-reservation.ts';
import { syncRooms } from './sync-rooms.ts';
import { createViewSyncStateStore } from './view-sync-state-store.ts';
import { checkTimeZone } from './wall-clock.ts';
import { claimFullRoomSync } from './claim-full-room-sync.ts';
import { setRoomSyncStatus } from './set-room-sync-status.ts';

export interface RoomSyncDeps {
  store: Store;
  graph: GraphClient;
  clock: Clock;
}

export interface RoomSyncOptions {
  /** Resync ("Sync All"): read every room calendar in full, compare both sides and repair drift; at most every 10 minutes per job. */
  full?: boolean;
}

/**
 * One run of a room-sync job: list rooms into `rooms`, then per room one calendarView delta round, a two-way plan
 * against the reservations, and its writes. The delta link is saved only after the writes, so a killed run
 * repeats its round; every step is idempotent (hash comparison, transactionId, linking by our id property).
 */
export async function runRoomSync(deps: RoomSyncDeps, job: RoomSyncJobConfig, ctx: JobHandlerContext, options: RoomSyncOptions = {}): Promise<JobHandlerResult> {
  checkTimeZone(job.timeZone);
  const now = deps.clock();
  if (options.full) await claimFullRoomSync(deps.store, job.name, now);
  const strict = job.userCalendarStrictMode === true;
  const rooms = await syncRooms(deps.graph, deps.store, { ...(job.roomList ? { roomList: job.roomList } : {}), ...(job.rooms ? { only: job.rooms } : {}), at: now, signal: ctx.signal });
  ctx.run.count('rooms', rooms.length);
  const states = createViewSyncStateStore(deps.store);
  const reservations = deps.store.collection<RoomReservation>(collectionNames.roomReservations);

  for (const [index, room] of rooms.entries()) {
    if (ctx.signal.aborted) throw new AppError('JOB_ABORTED', `stopped before room ${room._id}`);
    try {
      const saved = options.full ? null : await states.load('room', job.name, room._id);
      const moved = saved !== null && windowNeedsMove({ start: saved.windowStart, end: saved.windowEnd }, now, job.daysBack, job.daysAhead);
      const window = saved && !moved ? { start: saved.windowStart, end: saved.windowEnd } : computeWindow(now, job.daysBack, job.daysAhead);
      const roomPath = `/users/${encodeURIComponent(room.emailAddress)}`;
      const local = await withStoreErrors('read reservations', () => reservations.find({ room: room._id }).toArray());
      const linked = new Set(local.flatMap((r) => (r.eventId === null ? [] : [r.eventId])));
      const changes = await readRoomChanges(deps.graph, {
        room: room._id, roomPath, window, deltaLink: moved ? null : (saved?.deltaLink ?? null), linkedIds: linked, readOrganizers: !strict, signal: ctx.signal,
      });
      if (changes.round.restarted) ctx.run.note(`${room._id}: delta token expired; compared the whole window`);
      const actions = planRoomSync({
        reservations: local, changed: changes.changed, deleted: changes.deleted, complete: changes.round.full, window, repairDrift: options.full === true,
        delegation: job.enableUserCalendarDelegation === true, createInUserCalendar: job.createUserCalendarReservations === true,
        seriesSeen: changes.seriesSeen, fullSync: options.full === true,
      });
      await applyRoomSyncActions(actions, {
        store: deps.store, graph: deps.graph, run: ctx.run, room: room._id, roomName: room.displayName, roomPath, timeZone: job.timeZone, now, strict, signal: ctx.signal,
      });
      await states.save({ kind: 'room', job: job.name, mailbox: room._id, deltaLink: changes.round.deltaLink, windowStart: window.start, windowEnd: window.end, updatedAt: deps.clock() });
      await setRoomSyncStatus(deps.store, room._id, 'active', deps.clock());
      ctx.run.addItem({ key: room._id, outcome: 'roomSynced', action: 'sync', status: 'active' });
      ctx.run.count('roomsSynced');
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      const appError = toAppError(error);
      const reason = { code: appError.code, message: appError.message };
      await setRoomSyncStatus(deps.store, room._id, 'error', deps.clock(), reason);
      ctx.run.addItem({ key: room._id, outcome: 'failed', action: 'sync', status: 'error', error: reason });
      ctx.run.count('failed');
    }
    ctx.onProgress({ done: index + 1, total: rooms.length, label: 'rooms' });
  }
  return {};
}
