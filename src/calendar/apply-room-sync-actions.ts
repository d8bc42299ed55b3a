import { AppError } from '../core/index.ts';
import type { BatchRequest, GraphClient } from '../graph/index.ts';
import type { JobRun } from '../jobs/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import { mailroomIdProperty } from './calendar-properties.ts';
import { remoteHash, type RemoteRoomEvent, type RoomSyncAction } from './plan-room-sync.ts';
import type { RoomReservation } from './room-reservation.ts';
import { toWallClock } from './wall-clock.ts';

const chunkSize = 20;

export interface ApplyRoomActionsContext {
  store: Store;
  graph: GraphClient;
  run: JobRun;
  room: string;
  roomPath: string;
  timeZone: string;
  now: Date;
  signal: AbortSignal;
}

function eventBody(r: RoomReservation, timeZone: string): Record<string, unknown> {
  return {
    subject: r.subject,
    start: { dateTime: toWallClock(r.start, timeZone), timeZone },
    end: { dateTime: toWallClock(r.end, timeZone), timeZone },
    showAs: 'busy',
    ...(r.organizer ? { body: { contentType: 'text', content: `Reserved in Mailroom by ${r.organizer}` } } : {}),
    singleValueExtendedProperties: [{ id: mailroomIdProperty, value: r._id }],
  };
}

function requestFor(action: RoomSyncAction, ctx: ApplyRoomActionsContext): BatchRequest | null {
  const json = { 'Content-Type': 'application/json' };
  switch (action.kind) {
    case 'create':
      return { method: 'POST', url: `${ctx.roomPath}/events`, headers: json, body: { ...eventBody(action.reservation, ctx.timeZone), transactionId: action.transactionId } };
    case 'patch':
      return { method: 'PATCH', url: `${ctx.roomPath}/events/${encodeURIComponent(action.eventId)}`, headers: json, body: eventBody(action.reservation, ctx.timeZone) };
    case 'deleteRemote':
      return { method: 'DELETE', url: `${ctx.roomPath}/events/${encodeURIComponent(action.eventId)}` };
    default:
      return null;
  }
}

function keyOf(action: RoomSyncAction): string {
  return 'reservation' in action ? action.reservation._id : `outlook:${action.event.eventId}`;
}

/** Applies a room plan: Graph writes in $batch chunks, then the matching database writes; conflicts go to the run. */
export async function applyRoomSyncActions(actions: readonly RoomSyncAction[], ctx: ApplyRoomActionsContext): Promise<void> {
  const reservations = ctx.store.collection<RoomReservation>(collectionNames.roomReservations);
  const save = (id: string, set: Record<string, unknown>): Promise<unknown> =>
    withStoreErrors('save reservation', () => reservations.updateOne({ _id: id }, { $set: set }));
  const synced = (r: RoomReservation, eventId: string, hash: string, extra: Partial<RoomReservation['sync']> = {}): Record<string, unknown> =>
    ({ eventId, sync: { ...r.sync, version: r.version, remoteHash: hash, syncedAt: ctx.now, ...extra } });
  const record = (action: RoomSyncAction, outcome: string, extra: Record<string, unknown> = {}): void => {
    ctx.run.addItem({ key: keyOf(action), outcome, action: action.kind, room: ctx.room, ...extra });
    ctx.run.count(outcome);
    if ('conflict' in action && action.conflict) {
      ctx.run.addItem({ key: keyOf(action), outcome: 'conflict', room: ctx.room, ...action.conflict });
      ctx.run.count('conflicts');
    }
  };

  // Local-only actions first: they need no Graph call.
  for (const action of actions) {
    if (action.kind === 'importRemote') {
      const e = action.event;
      const doc: RoomReservation = {
        _id: `outlook:${ctx.room}:${e.eventId}`, room: ctx.room, subject: e.subject, start: e.start, end: e.end, organizer: e.organizer,
        source: 'outlook', externalId: null, version: 1, updatedAt: ctx.now, cancelled: false, eventId: e.eventId,
        sync: { version: 1, remoteHash: remoteHash(e), generation: 0, syncedAt: ctx.now },
      };
      await withStoreErrors('import reservation', () => reservations.replaceOne({ _id: doc._id }, doc, { upsert: true }));
      record(action, 'imported', { subject: e.subject, target: e.eventId });
    } else if (action.kind === 'applyRemote' || action.kind === 'link') {
      const r = action.reservation;
      const e: RemoteRoomEvent = action.event;
      if (action.kind === 'link') {
        await save(r._id, synced(r, e.eventId, remoteHash(e)));
        record(action, 'linked', { target: e.eventId });
      } else {
        const version = r.version + 1;
        await save(r._id, {
          subject: e.subject, start: e.start, end: e.end, version, cancelled: false, updatedAt: ctx.now, eventId: e.eventId,
          sync: { ...r.sync, version, remoteHash: remoteHash(e), syncedAt: ctx.now },
        });
        record(action, 'updatedFromOutlook', { subject: e.subject, target: e.eventId });
      }
    } else if (action.kind === 'dropLocal') {
      await withStoreErrors('remove reservation', () => reservations.deleteOne({ _id: action.reservation._id }));
      record(action, action.reason === 'cancelled' ? 'cancelled' : 'deletedFromOutlook', { subject: action.reservation.subject });
    }
  }

  const writes = actions.filter((a) => requestFor(a, ctx) !== null);
  for (let start = 0; start < writes.length; start += chunkSize) {
    if (ctx.signal.aborted) throw new AppError('JOB_ABORTED', `stopped during writes to ${ctx.room}`);
    const chunk = writes.slice(start, start + chunkSize);
    const responses = await ctx.graph.batch(chunk.map((a) => requestFor(a, ctx)!), { signal: ctx.signal });
    for (const [index, action] of chunk.entries()) {
      if (action.kind !== 'create' && action.kind !== 'patch' && action.kind !== 'deleteRemote') continue;
      const response = responses[index]!;
      const r = action.reservation;
      if (response.status >= 400 && !(action.kind === 'deleteRemote' && response.status === 404)) {
        const error = response.error ?? new AppError('GRAPH_ERROR', `status ${response.status}`);
        ctx.run.addItem({ key: r._id, outcome: 'failed', action: action.kind, room: ctx.room, error: { code: error.code, message: error.message } });
        ctx.run.count('failed');
        continue;
      }
      if (action.kind === 'create') {
        const eventId = (response.body as { id: string }).id;
        await save(r._id, synced(r, eventId, remoteHash(r), { generation: action.generation }));
        record(action, 'createdInOutlook', { subject: r.subject, target: eventId });
      } else if (action.kind === 'patch') {
        await save(r._id, synced(r, action.eventId, remoteHash(r)));
        record(action, 'updatedInOutlook', { subject: r.subject, target: action.eventId });
      } else {
        await withStoreErrors('remove reservation', () => reservations.deleteOne({ _id: r._id }));
        record(action, 'deletedInOutlook', { subject: r.subject, target: action.eventId });
      }
    }
    await ctx.run.flush();
  }
}
