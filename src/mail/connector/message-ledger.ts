import { collectionNames, withStoreErrors, type Store } from '../../store/index.ts';
import type { PostActions } from '../../rules/index.ts';

/**
 * One entry per mail. `applied` means every database write for it is done; `done` means its mailbox post-actions
 * are done too. A run killed between the two redoes only the (idempotent) post-actions.
 */
export type LedgerStatus = 'applied' | 'done' | 'failed' | 'quarantined';

export interface LedgerEntry {
  _id: string;
  job: string;
  mailbox: string;
  graphId: string;
  internetMessageId: string | null;
  subject: string;
  status: LedgerStatus;
  attempts: number;
  lastError: { code: string; message: string } | null;
  outcome: { rule: string | null; action: string; target: string | null } | null;
  postActions: PostActions | null;
  updatedAt: Date;
}

export interface MessageLedger {
  getMany(keys: readonly string[]): Promise<Map<string, LedgerEntry>>;
  /** One write for a chunk of mail whose database writes are all done. */
  markApplied(entries: readonly Omit<LedgerEntry, 'status' | 'attempts' | 'lastError' | 'updatedAt'>[], at: Date): Promise<void>;
  /** One write for a chunk of mail whose post-actions are done too. */
  markDone(keys: readonly string[], at: Date): Promise<void>;
  /** Counts a failed attempt; returns the attempts so far. */
  recordFailure(entry: Pick<LedgerEntry, '_id' | 'job' | 'mailbox' | 'graphId' | 'internetMessageId' | 'subject'>, error: { code: string; message: string }, at: Date): Promise<number>;
  markQuarantined(key: string, at: Date): Promise<void>;
  /** Entries a run must look at again although delta will not report them: failed ones and half-done ones. */
  listUnfinished(job: string, limit: number): Promise<LedgerEntry[]>;
}

export function createMessageLedger(store: Store): MessageLedger {
  const ledger = store.collection<LedgerEntry>(collectionNames.mailLedger);
  return {
    async getMany(keys) {
      if (keys.length === 0) return new Map();
      const found = await withStoreErrors('read message ledger', () => ledger.find({ _id: { $in: [...keys] } }).toArray());
      return new Map(found.map((entry) => [entry._id, entry]));
    },
    async markApplied(entries, at) {
      if (entries.length === 0) return;
      await withStoreErrors('update message ledger', () =>
        ledger.bulkWrite(entries.map((entry) => ({
          updateOne: {
            filter: { _id: entry._id },
            update: { $set: { ...entry, status: 'applied' as const, lastError: null, updatedAt: at }, $setOnInsert: { attempts: 0 } },
            upsert: true,
          },
        }))),
      );
    },
    async markDone(keys, at) {
      if (keys.length === 0) return;
      await withStoreErrors('update message ledger', () => ledger.updateMany({ _id: { $in: [...keys] } }, { $set: { status: 'done', updatedAt: at } }));
    },
    async recordFailure(entry, error, at) {
      const updated = await withStoreErrors('update message ledger', () =>
        ledger.findOneAndUpdate(
          { _id: entry._id },
          {
            $set: { job: entry.job, mailbox: entry.mailbox, graphId: entry.graphId, internetMessageId: entry.internetMessageId, subject: entry.subject, status: 'failed', lastError: error, updatedAt: at },
            $setOnInsert: { outcome: null, postActions: null },
            $inc: { attempts: 1 },
          },
          { upsert: true, returnDocument: 'after' },
        ),
      );
      return updated?.attempts ?? 1;
    },
    async markQuarantined(key, at) {
      await withStoreErrors('update message ledger', () => ledger.updateOne({ _id: key }, { $set: { status: 'quarantined', updatedAt: at } }));
    },
    async listUnfinished(job, limit) {
      return withStoreErrors('read message ledger', () =>
        ledger.find({ job, status: { $in: ['failed', 'applied'] } }).limit(limit).toArray(),
      );
    },
  };
}
