import { createHash } from 'node:crypto';
import { hashContent } from './build-desired-event.ts';
import { reservationContent, type RoomReservation } from './room-reservation.ts';

/** A room event as the sync sees it (times as instants). */
export interface RemoteRoomEvent {
  eventId: string;
  subject: string;
  start: Date;
  end: Date;
  organizer: string | null;
  lastModified: Date | null;
  /** Our id property, read only for events no reservation is linked to; null when absent. */
  mailroomId: string | null;
  /** The meeting's id across calendars (the room's copy and the organizer's event share it). */
  iCalUId: string | null;
  /** A user organizes it; this is the room's copy (`isOrganizer: false`), which only the organizer's changes reach. */
  organizerOwned: boolean;
  /** `subject` is the room copy's placeholder (the organizer's name), not the meeting's title. */
  subjectPlaceholder: boolean;
  /** The organizer's own event, when the read looked it up. */
  organizerEventId: string | null;
  /** For an occurrence or exception: its series (the event a recurring reservation is linked to). */
  seriesMasterId: string | null;
}

export interface Conflict {
  /** Which side's change was kept. */
  winner: 'outlook' | 'mailroom';
  outlookChangedAt: string | null;
  mailroomChangedAt: string;
}

export type RoomSyncAction =
  | { kind: 'create'; reservation: RoomReservation; transactionId: string; generation: number }
  | { kind: 'patch'; reservation: RoomReservation; eventId: string; conflict?: Conflict }
  | { kind: 'deleteRemote'; reservation: RoomReservation; eventId: string; conflict?: Conflict }
  | { kind: 'applyRemote'; reservation: RoomReservation; event: RemoteRoomEvent; conflict?: Conflict }
  | { kind: 'importRemote'; event: RemoteRoomEvent }
  | { kind: 'dropLocal'; reservation: RoomReservation; reason: 'cancelled' | 'deletedInOutlook'; conflict?: Conflict }
  | { kind: 'link'; reservation: RoomReservation; event: RemoteRoomEvent }
  /** Created in the organizer's calendar with the room as resource attendee; the room's copy is linked when it appears. */
  | { kind: 'createInUserCalendar'; reservation: RoomReservation; organizer: string; transactionId: string; generation: number }
  /** Delegation: the change goes to the organizer's event (its id looked up by iCalUId when not yet known). */
  | { kind: 'patchOrganizer'; reservation: RoomReservation; organizer: string; conflict?: Conflict }
  | { kind: 'cancelOrganizer'; reservation: RoomReservation; organizer: string; conflict?: Conflict }
  /** A change Mailroom cannot write: the room's copy of a user's meeting cannot be updated or cancelled. */
  | { kind: 'notWritable'; reservation: RoomReservation; reason: string }
  /** A full sync leaves recurring reservations to the ongoing sync. */
  | { kind: 'deferred'; reservation: RoomReservation; reason: string };

export interface RoomSyncInput {
  reservations: readonly RoomReservation[];
  /** Events Outlook reported as new or changed (still existing) in this round. */
  changed: readonly RemoteRoomEvent[];
  /** Event ids that are gone from the room calendar. */
  deleted: ReadonlySet<string>;
  /**
   * True when `changed` lists every event in the window (an initial round or a resync): a linked reservation in the
   * window whose event was not listed is then gone from Outlook.
   */
  complete: boolean;
  window: { start: Date; end: Date };
  /** Resync: also repair content drift nobody recorded as a change (Mailroom's content is written to Outlook). */
  repairDrift?: boolean;
  /** enableUserCalendarDelegation: write changes of user-organized reservations to the organizer's event. */
  delegation?: boolean;
  /** createUserCalendarReservations: new reservations with an organizer are created in the organizer's calendar. */
  createInUserCalendar?: boolean;
  /** Series (master ids) of which this round saw an occurrence: a recurring reservation's presence. */
  seriesSeen?: ReadonlySet<string>;
  /** A full sync ("Sync All"): recurring reservations are not written to Outlook by it, only by the ongoing sync. */
  fullSync?: boolean;
}

/**
 * The content as the room calendar shows it. A placeholder subject is not the meeting's, so it is left out: only
 * what the sync can see is compared (strict mode must not read a placeholder as a change of title).
 */
export function remoteHash(event: { subject: string; start: Date; end: Date; subjectPlaceholder?: boolean }): string {
  const content = reservationContent(event);
  return hashContent(event.subjectPlaceholder === true ? { ...content, subject: null } : content);
}

export function roomTransactionId(reservationId: string, version: number, generation: number): string {
  return `mailroom-room-${createHash('sha256').update(`${reservationId}\n${version}\n${generation}`).digest('hex').slice(0, 32)}`;
}

function conflictOf(winner: Conflict['winner'], event: RemoteRoomEvent | null, reservation: RoomReservation): Conflict {
  return { winner, outlookChangedAt: event?.lastModified?.toISOString() ?? null, mailroomChangedAt: reservation.updatedAt.toISOString() };
}

/**
 * Two-way plan for one room. A side "changed" when it differs from what the last sync recorded: Mailroom by
 * version, Outlook by content hash. One side changed → copy it over; both changed → the newer change wins (an
 * Outlook deletion has no time and wins) and the action carries the conflict. Pure.
 */
export function planRoomSync(input: RoomSyncInput): RoomSyncAction[] {
  const actions: RoomSyncAction[] = [];
  const changedById = new Map(input.changed.map((e) => [e.eventId, e]));
  const adopted = adoptOrImport(input, actions);

  for (const r of input.reservations) {
    if (adopted.has(r._id)) continue;
    const localChanged = r.version > r.sync.version;
    if (r.eventId === null) {
      const action = planUnlinked(r, localChanged, input);
      if (action) actions.push(action);
      continue;
    }
    const event = changedById.get(r.eventId);
    const gone = input.deleted.has(r.eventId) || (input.complete && !event && (r.recurrence
      ? !input.seriesSeen?.has(r.eventId) && seriesInWindow(r, input.window)
      : r.start < input.window.end && r.end > input.window.start));
    if (gone) {
      if (r.cancelled) actions.push({ kind: 'dropLocal', reservation: r, reason: 'cancelled' });
      else actions.push({ kind: 'dropLocal', reservation: r, reason: 'deletedInOutlook', ...(localChanged ? { conflict: conflictOf('outlook', null, r) } : {}) });
      continue;
    }
    const remoteChanged = event !== undefined && remoteHash(event) !== r.sync.remoteHash;
    if (remoteChanged && localChanged) {
      const outlookNewer = (event.lastModified?.getTime() ?? 0) > r.updatedAt.getTime();
      if (outlookNewer) actions.push({ kind: 'applyRemote', reservation: r, event, conflict: conflictOf('outlook', event, r) });
      else actions.push(writeLocal(r, r.eventId, input, conflictOf('mailroom', event, r)));
    } else if (remoteChanged) {
      actions.push({ kind: 'applyRemote', reservation: r, event });
    } else if (localChanged) {
      actions.push(writeLocal(r, r.eventId, input));
    } else if (input.repairDrift && event !== undefined && remoteHash(event) !== remoteHash({ ...r, subjectPlaceholder: event.subjectPlaceholder })) {
      actions.push(writeLocal(r, r.eventId, input));
    }
  }
  return input.fullSync ? actions.map(deferRecurring) : actions;
}

/**
 * Events no reservation is linked to: ours whose creation was not recorded are linked (by our id property, or for a
 * meeting created in the organizer's calendar by iCalUId), the others imported. Returns the reservations linked.
 */
function adoptOrImport(input: RoomSyncInput, actions: RoomSyncAction[]): Set<string> {
  const linked = new Set<string>();
  for (const r of input.reservations) if (r.eventId !== null) linked.add(r.eventId);
  const byId = new Map(input.reservations.map((r) => [r._id, r]));
  // Reservations created in an organizer's calendar, waiting for the room's copy (same iCalUId) to link.
  const awaiting = new Map<string, RoomReservation>();
  for (const r of input.reservations) if (r.eventId === null && r.organizerEventId && r.iCalUId) awaiting.set(r.iCalUId, r);
  const adopted = new Set<string>();
  for (const event of input.changed) {
    if (linked.has(event.eventId)) continue;
    const owner = (event.mailroomId === null ? undefined : byId.get(event.mailroomId)) ?? (event.iCalUId === null ? undefined : awaiting.get(event.iCalUId));
    if (owner && owner.eventId === null) {
      // Created by a run that died before it could record the event id (for a series: seen through an occurrence).
      if (!adopted.has(owner._id)) actions.push({ kind: 'link', reservation: owner, event: owner.recurrence ? { ...event, eventId: event.seriesMasterId ?? event.eventId } : event });
      adopted.add(owner._id);
    } else if (!owner) {
      actions.push({ kind: 'importRemote', event });
    }
  }
  return adopted;
}

/** A reservation without an event on the room's calendar yet. */
function planUnlinked(r: RoomReservation, localChanged: boolean, input: RoomSyncInput): RoomSyncAction | null {
  // In the organizer's calendar already; the room's copy has not shown up yet. Only changes need doing.
  if (r.organizerEventId) return localChanged ? writeLocal(r, null, input) : null;
  if (r.cancelled) return { kind: 'dropLocal', reservation: r, reason: 'cancelled' };
  const generation = r.sync.generation;
  const transactionId = roomTransactionId(r._id, r.version, generation);
  if (input.createInUserCalendar && r.organizer) return { kind: 'createInUserCalendar', reservation: r, organizer: r.organizer, generation, transactionId };
  return { kind: 'create', reservation: r, generation, transactionId };
}

/** Whether a series surely has an occurrence in the window (a series counted by occurrences may have ended: unsure). */
function seriesInWindow(r: RoomReservation, window: { start: Date; end: Date }): boolean {
  const range = r.recurrence!.range;
  if (r.start >= window.end) return false;
  if (range.type === 'noEnd') return true;
  if (range.type === 'endDate' && typeof range.endDate === 'string') return new Date(`${range.endDate}T23:59:59Z`) >= window.start;
  return false;
}

const writeKinds = new Set<RoomSyncAction['kind']>(['create', 'patch', 'deleteRemote', 'createInUserCalendar', 'patchOrganizer', 'cancelOrganizer']);

function deferRecurring(action: RoomSyncAction): RoomSyncAction {
  if (!writeKinds.has(action.kind) || !('reservation' in action) || !action.reservation.recurrence) return action;
  return { kind: 'deferred', reservation: action.reservation, reason: 'a recurring reservation: the full sync does not write it to Outlook; the next scheduled sync does' };
}

/**
 * Mailroom's change of a reservation, written where it can be. The room's copy of a user's meeting is not the
 * meeting: only its organizer can change or cancel it (https://learn.microsoft.com/en-us/graph/api/event-cancel),
 * so without delegation the change is reported, not written.
 */
function writeLocal(r: RoomReservation, eventId: string | null, input: RoomSyncInput, conflict?: Conflict): RoomSyncAction {
  const extra = conflict ? { conflict } : {};
  if (r.organizerOwned !== true && eventId !== null) {
    return r.cancelled ? { kind: 'deleteRemote', reservation: r, eventId, ...extra } : { kind: 'patch', reservation: r, eventId, ...extra };
  }
  if (!input.delegation || !r.organizer) {
    const who = r.organizer ?? 'a user';
    return {
      kind: 'notWritable', reservation: r,
      reason: `${who} organizes this meeting and the room is only its attendee, so the room's copy cannot be ${r.cancelled ? 'cancelled' : 'updated'}; enable enableUserCalendarDelegation to write it through the organizer's calendar`,
    };
  }
  return r.cancelled ? { kind: 'cancelOrganizer', reservation: r, organizer: r.organizer, ...extra } : { kind: 'patchOrganizer', reservation: r, organizer: r.organizer, ...extra };
}
