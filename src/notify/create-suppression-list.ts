import { AppError, type Clock } from '../core/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { SuppressedAddress } from './notification-types.ts';

export interface HardBounce {
  notificationId: string;
  status: string | null;
  diagnostic: string | null;
  at: Date;
}

/**
 * Addresses Mailroom stops mailing after repeated hard bounces. A hard bounce counts once per notification (a second
 * report for the same mail adds nothing), so `threshold` distinct notifications must have bounced; a soft bounce
 * (4.x.x, `delayed`) is never recorded here. A suppression lasts until a person lifts it: an address that bounces
 * hard usually needs someone to correct the requester's address, not time.
 */
export interface SuppressionList {
  /** The suppression of an address, or null when notifications to it go out. */
  find(address: string): Promise<SuppressedAddress | null>;
  /** Counts a hard bounce; `suppressedNow` is true for the bounce that reached the threshold. */
  recordHardBounce(address: string, bounce: HardBounce, threshold: number): Promise<{ entry: SuppressedAddress; suppressedNow: boolean }>;
  /** Every address suppressed now, most recent first. */
  list(): Promise<SuppressedAddress[]>;
  /** Lifts a suppression and forgets its bounces (the next ones count from zero). NOTIFY_NOT_SUPPRESSED when there is none. */
  lift(address: string): Promise<SuppressedAddress>;
}

/** The error a notification to a suppressed address is recorded with: why, and how to lift it. */
export function suppressedError(entry: SuppressedAddress): { code: string; message: string } {
  const last = entry.lastBounce;
  const why = last ? ` (last: ${[last.status, last.diagnostic].filter(Boolean).join(' ') || 'no status'})` : '';
  return {
    code: 'NOTIFY_RECIPIENT_SUPPRESSED',
    message: `${entry._id} is suppressed after ${entry.hardBounces.length} hard bounce(s)${why}; lift it with \`mailroom notifications unsuppress ${entry._id}\``,
  };
}

export function createSuppressionList(store: Store, clock: Clock): SuppressionList {
  const addresses = store.collection<SuppressedAddress>(collectionNames.notificationSuppressions);
  const key = (address: string): string => address.trim().toLowerCase();

  return {
    async find(address) {
      return withStoreErrors('read suppressed address', () => addresses.findOne({ _id: key(address), suppressedAt: { $ne: null } }));
    },

    async recordHardBounce(address, bounce, threshold) {
      const now = clock();
      const counted = await withStoreErrors('record hard bounce', () => addresses.findOneAndUpdate(
        { _id: key(address) },
        { $addToSet: { hardBounces: bounce.notificationId }, $set: { lastBounce: bounce, updatedAt: now }, $setOnInsert: { suppressedAt: null, liftedAt: null } },
        { upsert: true, returnDocument: 'after' },
      ));
      if (counted === null) throw new AppError('STORE_ERROR', `recording a hard bounce for ${address} returned nothing`);
      if (counted.suppressedAt !== null || counted.hardBounces.length < threshold) return { entry: counted, suppressedNow: false };
      // Conditional, so of two runs recording the threshold-reaching bounce at once only one reports it.
      const marked = await withStoreErrors('suppress address', () => addresses.findOneAndUpdate(
        { _id: counted._id, suppressedAt: null }, { $set: { suppressedAt: now, updatedAt: now } }, { returnDocument: 'after' },
      ));
      return marked === null ? { entry: counted, suppressedNow: false } : { entry: marked, suppressedNow: true };
    },

    async list() {
      return withStoreErrors('list suppressed addresses', () => addresses.find({ suppressedAt: { $ne: null } }).sort({ suppressedAt: -1 }).toArray());
    },

    async lift(address) {
      const now = clock();
      const lifted = await withStoreErrors('lift suppression', () => addresses.findOneAndUpdate(
        { _id: key(address), suppressedAt: { $ne: null } },
        { $set: { suppressedAt: null, liftedAt: now, hardBounces: [], updatedAt: now } },
        { returnDocument: 'after' },
      ));
      if (lifted === null) {
        throw new AppError('NOTIFY_NOT_SUPPRESSED', `${key(address)} is not suppressed`, { hint: 'List suppressed addresses with `mailroom notifications suppressed`.' });
      }
      return lifted;
    },
  };
}
