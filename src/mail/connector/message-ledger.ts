import { collectionNames, withStoreErrors, type Store } from '../../store/index.ts';
import type { PostActions } from '../../rules/index.ts';

/**
 * One entry per mail. `applied` means every database write for it is done; `done` means its mailbox post-actions
 * are done too. A chunk's entries are written once, after its post-actions: `done`, or `applied` where a post-action
 * failed, so the next run redoes only those. A run killed before that write redoes the chunk: every database write
 * finds its twin by key, and mail already moved away is complete (its writes came before its move).
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

export interface LedgerMark {
  key: string;
  status: 'applied' | 'done';
  entry?: Omit<LedgerEntry, '_id' | 'status' | 'attempts' | 'lastError' | 'updatedAt'>;
}

export interface MessageLedger {
  getMany(keys: readonly string[]): Promise<Map<string, LedgerEntry>>;
  /** One write for a chunk of mail whose database writes are all done; `entry` for mail not in the ledger yet. */
  markFinished(marks: readonly LedgerMark[], at: Date): Promise<void>;
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
    async markFinished(marks, at) {
      if (marks.length === 0) return;
      await withStoreErrors('update message ledger', () =>
        ledger.bulkWrite(marks.map(({ key, status, entry }) => ({
          updateOne: entry
            ? { filter: { _id: key }, update: { $set: { ...entry, status, lastError: null, updatedAt: at }, $setOnInsert: { attempts: 0 } }, upsert: true }
            : { filter: { _id: key }, update: { $set: { status, updatedAt: at } } },
        }))),
      );
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
