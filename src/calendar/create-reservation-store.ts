import type { Clock } from '../core/index.ts';
import { AppError } from '../core/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { UpsertSummary } from './create-plan-store.ts';
import { reservationContent, reservationIdFor, type ReservationInput, type RoomReservation } from './room-reservation.ts';

/** The module API for room reservations made in Mailroom. */
export interface ReservationStore {
  /** Upsert by external id (a change bumps version, so the next sync writes it to Outlook). */
  upsertReservations(inputs: readonly ReservationInput[]): Promise<UpsertSummary>;
  /**
   * A change made in Mailroom to any reservation, also one found in Outlook (by `_id`); the next sync writes it where
   * it can (for a meeting a user organizes: through the organizer's calendar, with delegation). Returns whether it changed.
   */
  changeReservation(id: string, change: Partial<Pick<RoomReservation, 'subject' | 'start' | 'end'>>): Promise<boolean>;
  /** Marks Mailroom-made reservations cancelled; the next sync deletes their events. Returns how many. */
  cancelReservations(ids: readonly string[]): Promise<number>;
  listReservations(filter?: { room?: string; source?: RoomReservation['source']; includeCancelled?: boolean }): Promise<RoomReservation[]>;
}

export function createReservationStore(store: Store, clock: Clock): ReservationStore {
  const reservations = store.collection<RoomReservation>(collectionNames.roomReservations);
  return {
    async upsertReservations(inputs) {
      const summary: UpsertSummary = { created: 0, updated: 0, unchanged: 0 };
      for (const input of inputs) {
        const _id = reservationIdFor(input.externalId);
        const room = input.room.toLowerCase();
        const existing = await withStoreErrors('read reservation', () => reservations.findOne({ _id }));
        if (existing && existing.room !== room) {
          // Moving a reservation between rooms would need a delete and a create in two calendars; keep it explicit.
          throw new AppError('CALENDAR_INVALID_IMPORT', `reservation ${input.externalId} is in ${existing.room}; it cannot move to ${room}`, {
            hint: 'Give the reservation in the other room a new id.',
          });
        }
        const organizer = input.organizer ?? null;
        if (existing?.organizerEventId && existing.organizer !== organizer) {
          // Created in the organizer's calendar (createUserCalendarReservations): the meeting is theirs for good.
          throw new AppError('CALENDAR_INVALID_IMPORT', `reservation ${input.externalId} was created in ${existing.organizer ?? 'its organizer'}'s calendar; its organizer cannot change to ${organizer ?? 'nobody'}`, {
            hint: 'Cancel it and make a new reservation with the other organizer.',
          });
        }
        const recurrence = input.recurrence ?? null;
        if (existing && !existing.cancelled && existing.organizer === organizer && JSON.stringify(existing.recurrence ?? null) === JSON.stringify(recurrence)
          && JSON.stringify(reservationContent(existing)) === JSON.stringify(reservationContent(input))) {
          summary.unchanged++;
          continue;
        }
        const now = clock();
        if (existing) {
          await withStoreErrors('update reservation', () => reservations.updateOne({ _id }, {
            $set: { subject: input.subject, start: input.start, end: input.end, organizer, recurrence, cancelled: false, updatedAt: now },
            $inc: { version: 1 },
          }));
          summary.updated++;
        } else {
          const doc: RoomReservation = {
            _id, room, subject: input.subject, start: input.start, end: input.end, organizer, source: 'mailroom', externalId: input.externalId,
            version: 1, updatedAt: now, cancelled: false, eventId: null, sync: { version: 0, remoteHash: null, generation: 0, syncedAt: null }, recurrence,
          };
          await withStoreErrors('create reservation', () => reservations.insertOne(doc));
          summary.created++;
        }
      }
      return summary;
    },
    async changeReservation(id, change) {
      const set = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
      if (Object.keys(set).length === 0) return false;
      const result = await withStoreErrors('change reservation', () =>
        reservations.updateOne({ _id: id, cancelled: false }, { $set: { ...set, updatedAt: clock() }, $inc: { version: 1 } }));
      return result.modifiedCount === 1;
    },
    async cancelReservations(ids) {
      if (ids.length === 0) return 0;
      const result = await withStoreErrors('cancel reservations', () =>
        reservations.updateMany({ _id: { $in: [...ids] }, cancelled: false }, { $set: { cancelled: true, updatedAt: clock() }, $inc: { version: 1 } }));
      return result.modifiedCount;
    },
    async listReservations(filter = {}) {
      const query: Record<string, unknown> = {};
      if (filter.room !== undefined) query.room = filter.room.toLowerCase();
      if (filter.source !== undefined) query.source = filter.source;
      if (!filter.includeCancelled) query.cancelled = false;
      return withStoreErrors('list reservations', () => reservations.find(query).sort({ room: 1, start: 1 }).toArray());
    },
  };
}
