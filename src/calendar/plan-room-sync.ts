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
  | { kind: 'link'; reservation: RoomReservation; event: RemoteRoomEvent };

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
}

export function remoteHash(event: { subject: string; start: Date; end: Date }): string {
  return hashContent(reservationContent(event));
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
  const linked = new Map<string, RoomReservation>();
  for (const r of input.reservations) if (r.eventId !== null) linked.set(r.eventId, r);
  const byId = new Map(input.reservations.map((r) => [r._id, r]));
  const adopted = new Set<string>();

  for (const event of input.changed) {
    if (linked.has(event.eventId)) continue;
    const owner = event.mailroomId === null ? undefined : byId.get(event.mailroomId);
    if (owner && owner.eventId === null) {
      // Created by a run that died before it could record the event id.
      actions.push({ kind: 'link', reservation: owner, event });
      adopted.add(owner._id);
    } else if (!owner) {
      actions.push({ kind: 'importRemote', event });
    }
  }

  for (const r of input.reservations) {
    if (adopted.has(r._id)) continue;
    const localChanged = r.version > r.sync.version;
    if (r.eventId === null) {
      if (r.cancelled) actions.push({ kind: 'dropLocal', reservation: r, reason: 'cancelled' });
      else {
        const generation = r.sync.generation;
        actions.push({ kind: 'create', reservation: r, generation, transactionId: roomTransactionId(r._id, r.version, generation) });
      }
      continue;
    }
    const event = changedById.get(r.eventId);
    const inWindow = r.start < input.window.end && r.end > input.window.start;
    const gone = input.deleted.has(r.eventId) || (input.complete && !event && inWindow);
    if (gone) {
      if (r.cancelled) actions.push({ kind: 'dropLocal', reservation: r, reason: 'cancelled' });
      else actions.push({ kind: 'dropLocal', reservation: r, reason: 'deletedInOutlook', ...(localChanged ? { conflict: conflictOf('outlook', null, r) } : {}) });
      continue;
    }
    const remoteChanged = event !== undefined && remoteHash(event) !== r.sync.remoteHash;
    if (remoteChanged && localChanged) {
      const outlookNewer = (event.lastModified?.getTime() ?? 0) > r.updatedAt.getTime();
      if (outlookNewer) actions.push({ kind: 'applyRemote', reservation: r, event, conflict: conflictOf('outlook', event, r) });
      else if (r.cancelled) actions.push({ kind: 'deleteRemote', reservation: r, eventId: r.eventId, conflict: conflictOf('mailroom', event, r) });
      else actions.push({ kind: 'patch', reservation: r, eventId: r.eventId, conflict: conflictOf('mailroom', event, r) });
    } else if (remoteChanged) {
      actions.push({ kind: 'applyRemote', reservation: r, event });
    } else if (localChanged) {
      if (r.cancelled) actions.push({ kind: 'deleteRemote', reservation: r, eventId: r.eventId });
      else actions.push({ kind: 'patch', reservation: r, eventId: r.eventId });
    } else if (input.repairDrift && event !== undefined && remoteHash(event) !== remoteHash(r)) {
      actions.push({ kind: 'patch', reservation: r, eventId: r.eventId });
    }
  }
  return actions;
}
