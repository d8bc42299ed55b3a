/**
 * A room reservation in the `room_reservations` collection, kept in step with the room's Outlook calendar by the
 * room-sync job. Local changes bump `version`; `sync` remembers the state both sides had at the last sync, which is
 * what tells "changed here", "changed there" and "both" (a conflict) apart.
 */
export interface RoomReservation {
  /** `mailroom:<externalId>` for reservations made in Mailroom, `outlook:<room>:<eventId>` for ones found in Outlook. */
  _id: string;
  /** Lower-case room mailbox address. */
  room: string;
  subject: string;
  start: Date;
  end: Date;
  organizer: string | null;
  source: 'mailroom' | 'outlook';
  externalId: string | null;
  /** +1 on every change made in Mailroom and on every change taken over from Outlook. */
  version: number;
  /** When the content last changed on our side (for "newer wins"). */
  updatedAt: Date;
  /** Cancelled in Mailroom; the next sync deletes the event, then the reservation. */
  cancelled: boolean;
  /** The event on the room's calendar (for a user-organized meeting: the room's copy of it). */
  eventId: string | null;
  sync: ReservationSyncState;
  /**
   * The meeting's id across calendars: the room's copy and the organizer's event share it
   * (https://learn.microsoft.com/en-us/graph/api/resources/event). Absent on records from before it was kept.
   */
  iCalUId?: string | null;
  /**
   * A user organizes the meeting and the room is its attendee. Only the organizer's event can be changed; the room's
   * copy is Exchange's, updated from it. Absent = false.
   */
  organizerOwned?: boolean;
  /** The organizer's own event, once known (created there by Mailroom, or found by iCalUId for delegation). */
  organizerEventId?: string | null;
  /** The subject is the room copy's placeholder (strict mode kept the sync out of the organizer's calendar). */
  placeholder?: boolean;
  /** A recurring reservation (Graph's patternedRecurrence); `start`/`end` are its first occurrence. Absent = single. */
  recurrence?: RoomRecurrence | null;
}

/**
 * Graph's `patternedRecurrence` as given (`pattern` type/interval/daysOfWeek…, `range` type/startDate/endDate…),
 * https://learn.microsoft.com/en-us/graph/api/resources/patternedrecurrence. Graph validates it on write.
 */
export interface RoomRecurrence {
  pattern: Record<string, unknown>;
  range: Record<string, unknown> & { endDate?: string };
}

export interface ReservationSyncState {
  /** The `version` that Outlook last matched (0 = never synced). */
  version: number;
  /** Hash of the event content last seen in or written to Outlook. */
  remoteHash: string | null;
  /** Bumped when our event vanished, for a fresh creation transactionId. */
  generation: number;
  syncedAt: Date | null;
}

export interface ReservationInput {
  externalId: string;
  room: string;
  subject: string;
  start: Date;
  end: Date;
  organizer?: string | null;
  recurrence?: RoomRecurrence | null;
}

/** What both sides are compared on: everything else (body, attendees) is Outlook's business. */
export function reservationContent(r: { subject: string; start: Date; end: Date }): { subject: string; start: number; end: number } {
  return { subject: r.subject, start: r.start.getTime(), end: r.end.getTime() };
}

export function reservationIdFor(externalId: string): string {
  return `mailroom:${externalId}`;
}
