import type { Clock } from '../core/index.ts';
import { collectionNames, insertOnce, withStoreErrors, type Store } from '../store/index.ts';
import { createSuppressionList, suppressedError } from './create-suppression-list.ts';
import type { DeliveryReportRecord, OutboxDraft, OutboxEntry, OutboxStatus, SuppressionReason } from './notification-types.ts';

export type NewOutboxEntry = Omit<OutboxEntry, 'attempts' | 'leaseUntil' | 'via' | 'draft' | 'lastError' | 'deliveryReports' | 'bounce' | 'createdAt' | 'updatedAt' | 'sentAt'>;

export interface ListOutboxQuery {
  status?: OutboxStatus;
  ticketNumber?: number;
  limit?: number;
}

/** The outbox collection: every notification decided, with its delivery state. Writes are idempotent by `_id`. */
export interface Outbox {
  /**
   * Inserts unless an entry with this key exists; the existing one wins (a rerun after a crash). An entry to an
   * address suppressed after hard bounces is written as suppressed (reason `bounced`), whoever queues it.
   */
  queue(entry: NewOutboxEntry): Promise<{ entry: OutboxEntry; created: boolean }>;
  /** Entries counted against the per-recipient rate limit: decided to go out since `since`. */
  countRecent(to: string, since: Date): Promise<number>;
  hasEntries(eventId: string, rule: string): Promise<boolean>;
  /**
   * Takes the next entry due for sending (pending and past notBefore, or `sending` with an expired lease — a crashed
   * sender's), marking it `sending` under a lease so a concurrent run leaves it alone.
   */
  claimNext(leaseMs: number, via: { connection: string; mailbox: string }): Promise<OutboxEntry | null>;
  /** Remembers the draft a claimed entry is sent as, before it is sent (so a restart sends that draft, never a new one). */
  recordDraft(id: string, draft: OutboxDraft): Promise<void>;
  markSent(id: string): Promise<void>;
  retryLater(id: string, notBefore: Date, error: { code: string; message: string }): Promise<void>;
  markFailed(id: string, error: { code: string; message: string }): Promise<void>;
  /** A claimed or pending entry that must not go out after all (its address was suppressed meanwhile). */
  markSuppressed(id: string, reason: SuppressionReason, error: { code: string; message: string }): Promise<void>;
  /** Sent entries by our Message-ID (with angle brackets): what a delivery report is matched with. */
  findByMessageIds(ids: readonly string[]): Promise<OutboxEntry[]>;
  /** Adds a delivery report once (by its reportKey); a failure also makes the entry `bounced`. False when already there. */
  recordDeliveryReport(id: string, report: DeliveryReportRecord): Promise<boolean>;
  /** Pending entries to an address just suppressed: suppressed too, with the reason, so none waits for ever. */
  suppressPending(to: string, error: { code: string; message: string }): Promise<number>;
  list(query?: ListOutboxQuery): Promise<OutboxEntry[]>;
}

const countedStatuses: OutboxStatus[] = ['pending', 'sending', 'sent', 'bounced'];

export function createOutbox(store: Store, clock: Clock): Outbox {
  const outbox = store.collection<OutboxEntry>(collectionNames.outbox);
  const suppressions = createSuppressionList(store, clock);

  return {
    async queue(entry) {
      const now = clock();
      return insertOnce(outbox, { _id: entry._id }, async (): Promise<OutboxEntry> => {
        const suppressed = entry.status === 'pending' ? await suppressions.find(entry.to) : null;
        const fresh: OutboxEntry = { ...entry, attempts: 0, leaseUntil: null, via: [], draft: null, lastError: null, createdAt: now, updatedAt: now, sentAt: null };
        return suppressed === null ? fresh : { ...fresh, status: 'suppressed', reason: 'bounced', lastError: suppressedError(suppressed) };
      }, 'outbox entry').then(({ doc, created }) => ({ entry: doc, created }));
    },

    async countRecent(to, since) {
      return withStoreErrors('count recent notifications', () =>
        outbox.countDocuments({ to, createdAt: { $gte: since }, status: { $in: countedStatuses } }),
      );
    },

    async hasEntries(eventId, rule) {
      const found = await withStoreErrors('read outbox', () => outbox.findOne({ eventId, rule }, { projection: { _id: 1 } }));
      return found !== null;
    },

    async claimNext(leaseMs, via) {
      const now = clock();
      return withStoreErrors('claim outbox entry', () =>
        outbox.findOneAndUpdate(
          { $or: [{ status: 'pending', notBefore: { $lte: now } }, { status: 'sending', leaseUntil: { $lte: now } }] },
          { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now }, $inc: { attempts: 1 }, $addToSet: { via } },
          { sort: { notBefore: 1 }, returnDocument: 'after' },
        ),
      );
    },

    async recordDraft(id, draft) {
      await withStoreErrors('record notification draft', () =>
        outbox.updateOne({ _id: id }, { $set: { draft, updatedAt: clock() } }),
      );
    },

    async markSent(id) {
      const now = clock();
      await withStoreErrors('mark notification sent', () =>
        outbox.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: now, leaseUntil: null, updatedAt: now } }),
      );
    },

    async retryLater(id, notBefore, error) {
      await withStoreErrors('schedule notification retry', () =>
        outbox.updateOne({ _id: id }, { $set: { status: 'pending', notBefore, leaseUntil: null, lastError: error, updatedAt: clock() } }),
      );
    },

    async markFailed(id, error) {
      await withStoreErrors('mark notification failed', () =>
        outbox.updateOne({ _id: id }, { $set: { status: 'failed', leaseUntil: null, lastError: error, updatedAt: clock() } }),
      );
    },

    async markSuppressed(id, reason, error) {
      await withStoreErrors('mark notification suppressed', () =>
        outbox.updateOne({ _id: id }, { $set: { status: 'suppressed', reason, leaseUntil: null, lastError: error, updatedAt: clock() } }),
      );
    },

    async findByMessageIds(ids) {
      if (ids.length === 0) return [];
      return withStoreErrors('find notifications by Message-ID', () => outbox.find({ internetMessageId: { $in: [...ids] } }).toArray());
    },

    async recordDeliveryReport(id, report) {
      const now = clock();
      const added = await withStoreErrors('record delivery report', () =>
        outbox.updateOne({ _id: id, 'deliveryReports.reportKey': { $ne: report.reportKey } }, { $push: { deliveryReports: report }, $set: { updatedAt: now } }),
      );
      // The first failure report makes the entry bounced; `bounce: null` also matches entries without the field.
      if (report.action === 'failed') {
        await withStoreErrors('mark notification bounced', () =>
          outbox.updateOne({ _id: id, bounce: null }, { $set: { status: 'bounced', bounce: report, leaseUntil: null, updatedAt: now } }),
        );
      }
      return added.modifiedCount === 1;
    },

    async suppressPending(to, error) {
      const result = await withStoreErrors('suppress pending notifications', () =>
        outbox.updateMany({ to, status: 'pending' }, { $set: { status: 'suppressed', reason: 'bounced', lastError: error, updatedAt: clock() } }),
      );
      return result.modifiedCount;
    },

    async list(query = {}) {
      const filter: Record<string, unknown> = {};
      if (query.status) filter.status = query.status;
      if (query.ticketNumber !== undefined) filter.ticketNumber = query.ticketNumber;
      return withStoreErrors('list notifications', () => outbox.find(filter).sort({ createdAt: -1 }).limit(query.limit ?? 50).toArray());
    },
  };
}
