import { collectionNames, withStoreErrors, type Store } from '../../store/index.ts';
import type { PostActions } from '../../rules/index.ts';

/**
 * One entry per mail (mailbox + immutable Graph id). `inflight`: a run took the mail into evaluation and has not
 * finished it: when the next run finds it so, that run was killed or hung on this mail. `applied`: every database write
 * for it is done, its post-actions are not. `done`: post-actions done too. `failed`: retried on the next run;
 * `quarantined` after `maxAttempts`. `gone`: deleted from the mailbox before it was read. `deferred`: seen, left for
 * the next run (per-run cap). A chunk's finished entries are written once, after its post-actions.
 */
export type LedgerStatus = 'inflight' | 'applied' | 'done' | 'failed' | 'quarantined' | 'gone' | 'deferred';

export interface LedgerIdentity {
  _id: string;
  job: string;
  mailbox: string;
  graphId: string;
  internetMessageId: string | null;
  subject: string;
  sender?: string | null;
  /** Backlog of the job's first connection, imported: kept so a retry on a later run is still never acknowledged. */
  backlog?: boolean;
}

export interface LedgerOutcome {
  rule: string | null;
  action: string;
  target: string | null;
  /** For a duplicate: the key of the mail it duplicates. */
  duplicateOf?: string;
}

export interface LedgerEntry extends LedgerIdentity {
  /** SHA-256 of the mail's content (see content-digest.ts): with the Message-ID it finds true duplicates. */
  sha256?: string | null;
  status: LedgerStatus;
  attempts: number;
  lastError: { code: string; message: string } | null;
  outcome: LedgerOutcome | null;
  postActions: PostActions | null;
  /** Set when a run takes the mail into evaluation; `alone` when it was the only mail of its chunk. */
  inflight?: { at: Date; alone: boolean } | null;
  /** The raw MIME in the file store, when it was stored (tickets, quarantine): a replay reads it from there. */
  rawMimeFileId?: string | null;
  /** Set by a replay of a mail no longer in the mailbox: process it from `rawMimeFileId`, without post-actions. */
  replayFromRaw?: boolean;
  /** Set when a replay took the mail out of quarantine; cleared once it is finished. */
  replayRequestedAt?: Date | null;
  quarantinedAt?: Date | null;
  updatedAt: Date;
}

export interface LedgerMark {
  key: string;
  status: 'applied' | 'done';
  entry?: Omit<LedgerIdentity, '_id'> & { outcome: LedgerOutcome; postActions: PostActions; sha256?: string | null; rawMimeFileId?: string | null };
}

export interface MessageLedger {
  getMany(keys: readonly string[]): Promise<Map<string, LedgerEntry>>;
  /** Entries of other mail of the mailbox with one of these Message-IDs (duplicates and look-alikes). */
  findByMessageIds(mailbox: string, ids: readonly string[]): Promise<LedgerEntry[]>;
  /** Written before evaluation: a run that dies on these mails leaves them marked. */
  markInflight(entries: readonly (LedgerIdentity & { sha256: string | null })[], alone: boolean, at: Date): Promise<void>;
  /** One write for a chunk of mail whose database writes are all done; `entry` for mail not in the ledger yet. */
  markFinished(marks: readonly LedgerMark[], at: Date): Promise<void>;
  /** Counts a failed attempt; returns the attempts so far. `keepApplied`: the writes are done, only post-actions failed. */
  recordFailure(entry: LedgerIdentity, error: { code: string; message: string }, at: Date, extra?: { keepApplied?: LedgerMark['entry']; rawMimeFileId?: string | null }): Promise<number>;
  /** `lastError`: why (the last failure, or a rule's reason when a rule quarantined it at once). */
  markQuarantined(key: string, at: Date, rawMimeFileId?: string | null, lastError?: { code: string; message: string }): Promise<void>;
  /** Gone from the mailbox, or deferred to the next run (a deferred mark never overwrites an entry). */
  markSettled(entries: readonly LedgerIdentity[], status: 'gone' | 'deferred', at: Date): Promise<void>;
  /** Entries a run must look at again although delta will not report them: failed, half-done and in-flight ones. */
  listUnfinished(job: string, limit: number): Promise<LedgerEntry[]>;
  listQuarantined(job: string | null, limit: number): Promise<LedgerEntry[]>;
  /** Mail a replay took out of quarantine that is not finished yet (the replay was killed). */
  listReplaying(job: string): Promise<LedgerEntry[]>;
  findByGraphId(job: string, graphId: string): Promise<LedgerEntry | null>;
  /** Turns a quarantined entry into a failed one with no attempts, so the next run processes it with the current rules. */
  prepareReplay(key: string, fromRaw: boolean, at: Date): Promise<boolean>;
}

export function createMessageLedger(store: Store): MessageLedger {
  const ledger = store.collection<LedgerEntry>(collectionNames.mailLedger);
  const identity = (entry: LedgerIdentity) => ({
    job: entry.job, mailbox: entry.mailbox, graphId: entry.graphId, internetMessageId: entry.internetMessageId, subject: entry.subject, sender: entry.sender ?? null,
    ...(entry.backlog ? { backlog: true } : {}),
  });
  const fresh = { attempts: 0, lastError: null, outcome: null, postActions: null };
  return {
    async getMany(keys) {
      if (keys.length === 0) return new Map();
      const found = await withStoreErrors('read message ledger', () => ledger.find({ _id: { $in: [...keys] } }).toArray());
      return new Map(found.map((entry) => [entry._id, entry]));
    },
    async findByMessageIds(mailbox, ids) {
      if (ids.length === 0) return [];
      return withStoreErrors('read message ledger', () => ledger.find({ mailbox, internetMessageId: { $in: [...new Set(ids)] } }).toArray());
    },
    async markInflight(entries, alone, at) {
      if (entries.length === 0) return;
      await withStoreErrors('update message ledger', () =>
        ledger.bulkWrite(entries.map((entry) => ({
          updateOne: {
            filter: { _id: entry._id },
            update: { $set: { ...identity(entry), sha256: entry.sha256, status: 'inflight', inflight: { at, alone }, updatedAt: at }, $setOnInsert: fresh },
            upsert: true,
          },
        }))),
      );
    },
    async markFinished(marks, at) {
      if (marks.length === 0) return;
      await withStoreErrors('update message ledger', () =>
        ledger.bulkWrite(marks.map(({ key, status, entry }) => ({
          updateOne: entry
            ? { filter: { _id: key }, update: { $set: { ...entry, status, lastError: null, inflight: null, replayFromRaw: false, replayRequestedAt: null, updatedAt: at }, $setOnInsert: { attempts: 0 } }, upsert: true }
            : { filter: { _id: key }, update: { $set: { status, inflight: null, replayRequestedAt: null, updatedAt: at } } },
        }))),
      );
    },
    async recordFailure(entry, error, at, extra = {}) {
      const status: LedgerStatus = extra.keepApplied ? 'applied' : 'failed';
      const updated = await withStoreErrors('update message ledger', () =>
        ledger.findOneAndUpdate(
          { _id: entry._id },
          {
            $set: {
              ...identity(entry), ...(extra.keepApplied ?? {}), status, lastError: error, inflight: null, updatedAt: at,
              ...(extra.rawMimeFileId ? { rawMimeFileId: extra.rawMimeFileId } : {}),
            },
            $setOnInsert: extra.keepApplied ? {} : { outcome: null, postActions: null },
            $inc: { attempts: 1 },
          },
          { upsert: true, returnDocument: 'after' },
        ),
      );
      return updated?.attempts ?? 1;
    },
    async markQuarantined(key, at, rawMimeFileId, lastError) {
      await withStoreErrors('update message ledger', () =>
        ledger.updateOne({ _id: key }, { $set: { status: 'quarantined', inflight: null, replayRequestedAt: null, quarantinedAt: at, updatedAt: at, ...(rawMimeFileId ? { rawMimeFileId } : {}), ...(lastError ? { lastError } : {}) } }));
    },
    async markSettled(entries, status, at) {
      if (entries.length === 0) return;
      await withStoreErrors('update message ledger', () =>
        ledger.bulkWrite(entries.map((entry) => ({
          updateOne: status === 'gone'
            ? { filter: { _id: entry._id }, update: { $set: { ...identity(entry), status, inflight: null, updatedAt: at }, $setOnInsert: fresh }, upsert: true }
            : { filter: { _id: entry._id }, update: { $setOnInsert: { ...identity(entry), ...fresh, status, updatedAt: at } }, upsert: true },
        })), { ordered: false }),
      );
    },
    async listUnfinished(job, limit) {
      return withStoreErrors('read message ledger', () =>
        ledger.find({ job, status: { $in: ['failed', 'applied', 'inflight'] } }).sort({ updatedAt: 1 }).limit(limit).toArray(),
      );
    },
    async listQuarantined(job, limit) {
      return withStoreErrors('read message ledger', () =>
        ledger.find({ ...(job ? { job } : {}), status: 'quarantined' }).sort({ updatedAt: -1 }).limit(limit).toArray(),
      );
    },
    async listReplaying(job) {
      return withStoreErrors('read message ledger', () => ledger.find({ job, status: { $in: ['failed', 'inflight', 'applied'] }, replayRequestedAt: { $ne: null } }).toArray());
    },
    async findByGraphId(job, graphId) {
      return withStoreErrors('read message ledger', () => ledger.findOne({ job, graphId }));
    },
    async prepareReplay(key, fromRaw, at) {
      const result = await withStoreErrors('update message ledger', () =>
        ledger.updateOne({ _id: key, $or: [{ status: 'quarantined' }, { status: { $in: ['failed', 'inflight', 'applied'] }, replayRequestedAt: { $ne: null } }] }, { $set: { status: 'failed', attempts: 0, replayFromRaw: fromRaw, replayRequestedAt: at, inflight: null, updatedAt: at } }));
      return result.matchedCount === 1;
    },
  };
}
