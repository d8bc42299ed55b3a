import { AppError } from '../core/index.ts';
import type { BatchRequest, GraphClient } from '../graph/index.ts';
import type { JobRun } from '../jobs/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import { mailroomIdProperty } from './calendar-properties.ts';
import { findOrganizerEvents, organizerEventOf } from './find-organizer-events.ts';
import { remoteHash, type RemoteRoomEvent, type RoomSyncAction } from './plan-room-sync.ts';
import type { RoomReservation } from './room-reservation.ts';
import { toWallClock } from './wall-clock.ts';

const chunkSize = 20;

export interface ApplyRoomActionsContext {
  store: Store;
  graph: GraphClient;
  run: JobRun;
  room: string;
  roomName: string;
  roomPath: string;
  timeZone: string;
  now: Date;
  /** Strict mode: the room's copy of a user's meeting will show a placeholder subject, not the one written. */
  strict: boolean;
  signal: AbortSignal;
}

type WriteAction = Extract<RoomSyncAction, { kind: 'create' | 'patch' | 'deleteRemote' | 'createInUserCalendar' | 'patchOrganizer' | 'cancelOrganizer' }>;

function eventBody(r: RoomReservation, timeZone: string): Record<string, unknown> {
  return {
    subject: r.subject,
    start: { dateTime: toWallClock(r.start, timeZone), timeZone },
    end: { dateTime: toWallClock(r.end, timeZone), timeZone },
    showAs: 'busy',
    ...(r.organizer ? { body: { contentType: 'text', content: `Reserved in Mailroom by ${r.organizer}` } } : {}),
    ...(r.recurrence ? { recurrence: r.recurrence } : {}),
    singleValueExtendedProperties: [{ id: mailroomIdProperty, value: r._id }],
  };
}

const json = { 'Content-Type': 'application/json' };
const userEvents = (user: string): string => `/users/${encodeURIComponent(user)}/events`;

function requestFor(action: WriteAction, ctx: ApplyRoomActionsContext, organizerEventId: string | null): BatchRequest {
  const r = action.reservation;
  switch (action.kind) {
    case 'create':
      return { method: 'POST', url: `${ctx.roomPath}/events`, headers: json, body: { ...eventBody(r, ctx.timeZone), transactionId: action.transactionId } };
    case 'patch':
      return { method: 'PATCH', url: `${ctx.roomPath}/events/${encodeURIComponent(action.eventId)}`, headers: json, body: eventBody(r, ctx.timeZone) };
    case 'deleteRemote':
      return { method: 'DELETE', url: `${ctx.roomPath}/events/${encodeURIComponent(action.eventId)}` };
    case 'createInUserCalendar':
      // The room as a resource attendee: the meeting request books it (https://learn.microsoft.com/en-us/graph/api/resources/attendee).
      return {
        method: 'POST', url: userEvents(action.organizer), headers: json, body: {
          ...eventBody(r, ctx.timeZone), body: { contentType: 'text', content: 'Reserved in Mailroom' }, transactionId: action.transactionId,
          location: { displayName: ctx.roomName, locationEmailAddress: ctx.room },
          attendees: [{ type: 'resource', emailAddress: { address: ctx.room, name: ctx.roomName } }],
        },
      };
    case 'patchOrganizer': {
      const { subject, start, end, recurrence } = eventBody(r, ctx.timeZone);
      return { method: 'PATCH', url: `${userEvents(action.organizer)}/${encodeURIComponent(organizerEventId!)}`, headers: json, body: { subject, start, end, ...(recurrence ? { recurrence } : {}) } };
    }
    case 'cancelOrganizer':
      // Cancel, not delete: the organizer's cancellation reaches the room (https://learn.microsoft.com/en-us/graph/api/event-cancel).
      return { method: 'POST', url: `${userEvents(action.organizer)}/${encodeURIComponent(organizerEventId!)}/cancel`, headers: json, body: { comment: 'Cancelled in Mailroom' } };
  }
}

function isWrite(action: RoomSyncAction): action is WriteAction {
  return ['create', 'patch', 'deleteRemote', 'createInUserCalendar', 'patchOrganizer', 'cancelOrganizer'].includes(action.kind);
}

function keyOf(action: RoomSyncAction): string {
  return 'reservation' in action ? action.reservation._id : `outlook:${action.event.eventId}`;
}

/** What a reservation learns about its meeting from the room's event. */
function meetingOf(e: RemoteRoomEvent, r?: RoomReservation): Partial<RoomReservation> {
  return { iCalUId: e.iCalUId, organizerOwned: e.organizerOwned, organizerEventId: e.organizerEventId ?? r?.organizerEventId ?? null };
}

const reservationsIn = (store: Store) => store.collection<RoomReservation>(collectionNames.roomReservations);

interface Recorder {
  reservations: ReturnType<typeof reservationsIn>;
  save(id: string, set: Record<string, unknown>): Promise<unknown>;
  synced(r: RoomReservation, eventId: string | null, hash: string, extra?: Partial<RoomReservation['sync']>): Record<string, unknown>;
  record(action: RoomSyncAction, outcome: string, extra?: Record<string, unknown>): void;
  fail(action: RoomSyncAction, error: { code: string; message: string }): void;
}

function recorderFor(ctx: ApplyRoomActionsContext): Recorder {
  const reservations = reservationsIn(ctx.store);
  return {
    reservations,
    save: (id, set) => withStoreErrors('save reservation', () => reservations.updateOne({ _id: id }, { $set: set })),
    synced: (r, eventId, hash, extra = {}) => ({ eventId, sync: { ...r.sync, version: r.version, remoteHash: hash, syncedAt: ctx.now, ...extra } }),
    record(action, outcome, extra = {}) {
      ctx.run.addItem({ key: keyOf(action), outcome, action: action.kind, room: ctx.room, ...extra });
      ctx.run.count(outcome);
      if ('conflict' in action && action.conflict) {
        ctx.run.addItem({ key: keyOf(action), outcome: 'conflict', room: ctx.room, ...action.conflict });
        ctx.run.count('conflicts');
      }
    },
    fail(action, error) {
      ctx.run.addItem({ key: keyOf(action), outcome: 'failed', action: action.kind, room: ctx.room, error: { code: error.code, message: error.message } });
      ctx.run.count('failed');
    },
  };
}

/** An action that needs no Graph call. */
async function applyLocal(action: RoomSyncAction, rec: Recorder, ctx: ApplyRoomActionsContext): Promise<void> {
  if (action.kind === 'importRemote') {
    const e = action.event;
    const doc: RoomReservation = {
      _id: `outlook:${ctx.room}:${e.eventId}`, room: ctx.room, subject: e.subject, start: e.start, end: e.end, organizer: e.organizer,
      source: 'outlook', externalId: null, version: 1, updatedAt: ctx.now, cancelled: false, eventId: e.eventId,
      sync: { version: 1, remoteHash: remoteHash(e), generation: 0, syncedAt: ctx.now }, ...meetingOf(e), placeholder: e.subjectPlaceholder,
    };
    await withStoreErrors('import reservation', () => rec.reservations.replaceOne({ _id: doc._id }, doc, { upsert: true }));
    rec.record(action, 'imported', { subject: e.subject, target: e.eventId, ...(e.subjectPlaceholder ? { placeholder: true } : {}) });
  } else if (action.kind === 'link') {
    const { reservation: r, event: e } = action;
    await rec.save(r._id, { ...rec.synced(r, e.eventId, remoteHash(e)), ...meetingOf(e, r) });
    rec.record(action, 'linked', { target: e.eventId });
  } else if (action.kind === 'applyRemote') {
    const { reservation: r, event: e } = action;
    const version = r.version + 1;
    // A placeholder does not replace a title Mailroom knows.
    const keepSubject = e.subjectPlaceholder && r.placeholder !== true;
    const subject = keepSubject ? r.subject : e.subject;
    await rec.save(r._id, {
      subject, start: e.start, end: e.end, version, cancelled: false, updatedAt: ctx.now, eventId: e.eventId,
      sync: { ...r.sync, version, remoteHash: remoteHash(e), syncedAt: ctx.now }, ...meetingOf(e, r), placeholder: e.subjectPlaceholder && !keepSubject,
    });
    rec.record(action, 'updatedFromOutlook', { subject, target: e.eventId });
  } else if (action.kind === 'dropLocal') {
    await withStoreErrors('remove reservation', () => rec.reservations.deleteOne({ _id: action.reservation._id }));
    rec.record(action, action.reason === 'cancelled' ? 'cancelled' : 'deletedFromOutlook', { subject: action.reservation.subject });
  } else if (action.kind === 'notWritable' || action.kind === 'deferred') {
    rec.record(action, action.kind, { subject: action.reservation.subject, reason: action.reason });
  }
}

/** The database side of a Graph write that succeeded. */
async function applyWritten(action: WriteAction, body: unknown, organizerEventId: string | null, rec: Recorder, ctx: ApplyRoomActionsContext): Promise<void> {
  const r = action.reservation;
  switch (action.kind) {
    case 'create': {
      const eventId = (body as { id: string }).id;
      await rec.save(r._id, rec.synced(r, eventId, remoteHash(r), { generation: action.generation }));
      rec.record(action, 'createdInOutlook', { subject: r.subject, target: eventId });
      return;
    }
    case 'patch':
      await rec.save(r._id, rec.synced(r, action.eventId, remoteHash(r)));
      rec.record(action, 'updatedInOutlook', { subject: r.subject, target: action.eventId });
      return;
    case 'createInUserCalendar': {
      // The room's copy (same iCalUId) is linked when a later round sees it on the room's calendar.
      const created = body as { id: string; iCalUId?: string };
      await rec.save(r._id, {
        ...rec.synced(r, null, remoteHash({ ...r, subjectPlaceholder: ctx.strict }), { generation: action.generation }),
        organizerOwned: true, organizerEventId: created.id, iCalUId: created.iCalUId ?? null,
      });
      rec.record(action, 'createdInUserCalendar', { subject: r.subject, target: created.id, calendar: action.organizer });
      return;
    }
    case 'patchOrganizer':
      await rec.save(r._id, { ...rec.synced(r, r.eventId, remoteHash({ ...r, subjectPlaceholder: ctx.strict })), organizerEventId });
      rec.record(action, 'updatedViaOrganizer', { subject: r.subject, target: organizerEventId, calendar: action.organizer });
      return;
    case 'deleteRemote':
    case 'cancelOrganizer':
      await withStoreErrors('remove reservation', () => rec.reservations.deleteOne({ _id: r._id }));
      if (action.kind === 'deleteRemote') rec.record(action, 'deletedInOutlook', { subject: r.subject, target: action.eventId });
      else rec.record(action, 'cancelledViaOrganizer', { subject: r.subject, target: organizerEventId, calendar: action.organizer });
  }
}

/**
 * Applies a room plan: local-only actions, then the organizers' events that delegated writes need (by iCalUId),
 * then Graph writes in $batch chunks with the matching database writes; conflicts go to the run.
 */
export async function applyRoomSyncActions(actions: readonly RoomSyncAction[], ctx: ApplyRoomActionsContext): Promise<void> {
  const rec = recorderFor(ctx);
  for (const action of actions) await applyLocal(action, rec, ctx);

  const writes = actions.filter(isWrite);
  const organizerIds = await organizerEventIds(writes, ctx);
  for (let start = 0; start < writes.length; start += chunkSize) {
    if (ctx.signal.aborted) throw new AppError('JOB_ABORTED', `stopped during writes to ${ctx.room}`);
    const chunk: WriteAction[] = [];
    for (const action of writes.slice(start, start + chunkSize)) {
      const needsOrganizerEvent = action.kind === 'patchOrganizer' || action.kind === 'cancelOrganizer';
      if (needsOrganizerEvent && !organizerIds.get(action.reservation._id)) {
        rec.fail(action, new AppError('GRAPH_NOT_FOUND', `the organizer's event of this meeting was not found in ${action.organizer}'s calendar`));
      } else chunk.push(action);
    }
    const responses = chunk.length > 0 ? await ctx.graph.batch(chunk.map((a) => requestFor(a, ctx, organizerIds.get(a.reservation._id) ?? null)), { signal: ctx.signal }) : [];
    for (const [index, action] of chunk.entries()) {
      const response = responses[index]!;
      const goneAlready = (action.kind === 'deleteRemote' || action.kind === 'cancelOrganizer') && response.status === 404;
      if (response.status >= 400 && !goneAlready) rec.fail(action, response.error ?? new AppError('GRAPH_ERROR', `status ${response.status}`));
      else await applyWritten(action, response.body, organizerIds.get(action.reservation._id) ?? null, rec, ctx);
    }
    await ctx.run.flush();
  }
}

/** The organizer's event id of each delegated write: known, or looked up by iCalUId in one batched round. */
async function organizerEventIds(writes: readonly WriteAction[], ctx: ApplyRoomActionsContext): Promise<Map<string, string | null>> {
  const ids = new Map<string, string | null>();
  const missing: { id: string; organizer: string; iCalUId: string }[] = [];
  for (const action of writes) {
    if (action.kind !== 'patchOrganizer' && action.kind !== 'cancelOrganizer') continue;
    const r = action.reservation;
    if (r.organizerEventId) ids.set(r._id, r.organizerEventId);
    else if (r.iCalUId) missing.push({ id: r._id, organizer: action.organizer, iCalUId: r.iCalUId });
  }
  const found = await findOrganizerEvents(ctx.graph, missing, ctx.signal);
  for (const m of missing) ids.set(m.id, organizerEventOf(found, m)?.id ?? null);
  return ids;
}
