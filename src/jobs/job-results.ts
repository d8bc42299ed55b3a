import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/index.ts';
import { AppError } from '../core/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import type { JobLockDoc } from './job-locks.ts';
import type { JobRunItem, JobRunRecord, JobRunStatus, JobRunSummary } from './job-run-record.ts';

const MAX_ITEMS = 5000;
const FLUSH_EVERY_ITEMS = 200;

export interface JobRun {
  readonly id: string;
  readonly job: string;
  addItem(item: JobRunItem): void;
  count(name: string, by?: number): void;
  note(text: string): void;
  /** Writes buffered items and counts now (done automatically every few hundred items). */
  flush(): Promise<void>;
  finish(outcome: { status?: JobRunStatus; error?: { code: string; message: string; hint?: string } | null; graph?: { requests: number; operations: number } }): Promise<JobRunRecord>;
  snapshot(): Readonly<{ counts: Record<string, number>; items: number }>;
}

export interface ListRunsQuery {
  job?: string;
  limit?: number;
  /** Only runs started before this (the previous page's last startedAt): paging newest first. */
  before?: Date;
  status?: JobRunStatus;
}

export interface JobResults {
  /** `lockOwner` names the job lease the run holds (runJobWithLock): once that lapses, a run left running shows as interrupted. */
  start(job: string, type: string, worker?: string | null, extra?: { lockOwner?: string; id?: string }): Promise<JobRun>;
  /** An id for a run about to start (`start` with `extra.id`), so its lease can name it from the first write. */
  newRunId(): string;
  /** Newest first, without their item lines (`get` has those). */
  list(query?: ListRunsQuery): Promise<JobRunSummary[]>;
  get(id: string): Promise<JobRunRecord>;
  /** Stores the run a lapsed lease names as interrupted, unless the run wrote its record (a lease taken over: runJobWithLock). */
  recordInterrupted(lease: JobLockDoc): Promise<void>;
  /** The latest run of each named job, for `jobs list`. */
  latest(jobs: readonly string[]): Promise<Map<string, JobRunSummary>>;
  /** Removes finished runs (interrupted ones included) started before `before`, with their item lines; running ones stay. */
  prune(before: Date): Promise<{ runs: number; itemPages: number }>;
}

/** Status when the caller does not set one: failed items make a run partial, not failed. */
function derivedStatus(counts: Record<string, number>): JobRunStatus {
  return (counts.failed ?? 0) + (counts.quarantined ?? 0) > 0 ? 'partial' : 'succeeded';
}

/** A run as stored: its items live in pages of their own (`job_run_items`); runs stored before that kept them inline. */
type StoredRun = Omit<JobRunRecord, 'items'> & { items?: JobRunItem[]; itemPages?: number; lockOwner?: string };

interface ItemPage {
  _id: string;
  run: string;
  page: number;
  items: JobRunItem[];
}

/** Sortable page ids, so a run's pages are found by id (the primary index on every server). */
function pageId(run: string, page: number): string {
  return `${run}:${String(page).padStart(6, '0')}`;
}

function withoutItems(run: StoredRun): JobRunSummary {
  const { itemPages: _pages, items: _items, lockOwner: _owner, ...rest } = run;
  return rest;
}

export function createJobResults(store: Store, clock: Clock): JobResults {
  const runs = store.collection<StoredRun>(collectionNames.jobRuns);
  const itemPages = store.collection<ItemPage>(collectionNames.jobRunItems);

  async function withItems(run: StoredRun): Promise<JobRunRecord> {
    const count = run.itemPages ?? 0;
    const ids = Array.from({ length: count }, (_, page) => pageId(run._id, page));
    const pages = count === 0 ? [] : await withStoreErrors('read job run items', () => itemPages.find({ _id: { $in: ids } }).toArray());
    pages.sort((a, b) => a.page - b.page);
    const { itemPages: _pages, items: inline = [], lockOwner: _owner, ...rest } = run;
    return { ...rest, items: [...inline, ...pages.flatMap((p) => p.items)] };
  }

  const locks = store.collection<JobLockDoc>(collectionNames.jobLocks);

  const interruptedError = { code: 'JOB_ABORTED', message: 'the process running it ended before the run finished (killed or its machine stopped); its lock lapsed', hint: 'What it did is recorded; the next run goes on from there.' };

  /** A run's record as its lease tells it, for a run that has not written its own yet (it does at its first flush or end). */
  const fromLease = (lease: JobLockDoc & { run: string }): StoredRun => ({
    _id: lease.run, job: lease._id, type: lease.type ?? 'unknown', worker: lease.worker, startedAt: lease.since, endedAt: null, status: 'running',
    counts: {}, graph: { requests: 0, operations: 0 }, itemPages: 0, itemsOmitted: 0, error: null, notes: [], lockOwner: lease.owner,
  });

  const storeInterrupted = async (lease: JobLockDoc & { run: string }, now: Date): Promise<void> => {
    const { _id: _run, ...record } = fromLease(lease);
    // $setOnInsert: a run that wrote its record keeps it (a finished one stays finished; a running one is settled below).
    await withStoreErrors('record interrupted run', () =>
      runs.updateOne({ _id: lease.run }, { $setOnInsert: { ...record, status: 'interrupted', endedAt: now, error: interruptedError } }, { upsert: true }));
  };

  /**
   * A run still marked running whose lease has lapsed lost its process: it is stored as interrupted, so listings,
   * `jobs show` and prune see it as the finished run it is. So is a run that died before it wrote its record, which
   * only its lease names. Returns the runs going on now that have no record yet (an empty poll writes its only at
   * its end), as their leases describe them. A run started without a lease is left as it is.
   */
  async function settleInterrupted(): Promise<StoredRun[]> {
    const now = clock();
    const leases = (await withStoreErrors('read job locks', () => locks.find({ run: { $ne: null } }).toArray())).filter((l): l is JobLockDoc & { run: string } => typeof l.run === 'string');
    const open = await withStoreErrors('find running job runs', () =>
      runs.find({ $or: [{ status: 'running', lockOwner: { $exists: true } }, { _id: { $in: leases.map((l) => l.run) } }] }, { projection: { _id: 1, job: 1, lockOwner: 1, status: 1 } }).toArray(),
    );
    const recorded = new Set(open.map((r) => r._id));
    const pending: StoredRun[] = [];
    for (const lease of leases) {
      if (recorded.has(lease.run)) continue;
      if (lease.until > now) pending.push(fromLease(lease));
      else await storeInterrupted(lease, now);
    }
    const live = new Map(leases.filter((lock) => lock.until > now).map((lock) => [lock._id, lock]));
    for (const run of open) {
      if (run.status !== 'running' || run.lockOwner === undefined) continue;
      const lock = live.get(run.job);
      if (lock?.owner === run.lockOwner) continue;
      await withStoreErrors('record interrupted run', () =>
        runs.updateOne({ _id: run._id, status: 'running' }, { $set: { status: 'interrupted', endedAt: now, error: interruptedError } }),
      );
    }
    return pending;
  }

  const newRunId = (): string => `${clock().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;

  return {
    newRunId,
    async start(job, type, worker = null, extra = {}) {
      const id = extra.id ?? newRunId();
      // Written with the run's first progress or its end, not now: an empty poll's record is one write. Until then the
      // run's lease names it (listings show it from there; a run that dies first is recorded as interrupted).
      const startedAt = clock();
      const base = { job, type, worker, startedAt, ...(extra.lockOwner ? { lockOwner: extra.lockOwner } : {}) };
      const counts: Record<string, number> = {};
      let pending: JobRunItem[] = [];
      let stored = 0;
      let omitted = 0;
      let pages = 0;
      const notes: string[] = [];

      /** The pending items as one page; the page is written before the run's record counts it, so a page the record names always exists. */
      const writePage = async (): Promise<void> => {
        const batch = pending;
        pending = [];
        const room = Math.max(0, MAX_ITEMS - stored);
        const kept = batch.slice(0, room);
        omitted += batch.length - kept.length;
        if (kept.length === 0) return;
        const page = pages;
        await withStoreErrors('record job progress', () => itemPages.insertOne({ _id: pageId(id, page), run: id, page, items: kept }));
        pages += 1;
        stored += kept.length;
      };
      const progress = (): Partial<StoredRun> => ({ counts: { ...counts }, itemPages: pages, itemsOmitted: omitted, notes: [...notes] });
      const writeOut = async (): Promise<void> => {
        await writePage();
        await withStoreErrors('record job progress', () =>
          runs.updateOne({ _id: id }, { $set: progress(), $setOnInsert: { ...base, status: 'running', endedAt: null, error: null, graph: { requests: 0, operations: 0 } } }, { upsert: true }));
      };
      // One write-out at a time: an automatic flush and an explicit one (or the end) must not claim the same page.
      let queue: Promise<void> = Promise.resolve();
      const serially = <T>(work: () => Promise<T>): Promise<T> => {
        const next = queue.then(work);
        queue = next.then(() => undefined, () => undefined);
        return next;
      };
      const flush = (): Promise<void> => serially(writeOut);

      return {
        id,
        job,
        addItem(item) {
          pending.push(item);
          if (pending.length >= FLUSH_EVERY_ITEMS) void flush().catch(() => undefined);
        },
        count(name, by = 1) {
          counts[name] = (counts[name] ?? 0) + by;
        },
        note(text) {
          notes.push(text);
        },
        flush,
        async finish(outcome) {
          // The last page, then progress and end in one write that returns the record: an empty poll's whole record
          // is one round trip, not a start, a progress write, an end write and a read.
          const record = await serially(async () => {
            await writePage();
            const status = outcome.status ?? (outcome.error ? 'failed' : derivedStatus(counts));
            return withStoreErrors('record job end', () =>
              runs.findOneAndUpdate({ _id: id }, {
                $set: { ...progress(), status, endedAt: clock(), error: outcome.error ?? null, graph: outcome.graph ?? { requests: 0, operations: 0 } },
                $setOnInsert: base,
              }, { upsert: true, returnDocument: 'after' }),
            );
          });
          if (!record) throw new AppError('JOB_RUN_NOT_FOUND', `job run ${id} vanished while it ran`);
          return withItems(record);
        },
        snapshot: () => ({ counts: { ...counts }, items: stored + pending.length }),
      };
    },

    async list(query = {}) {
      const pending = (await settleInterrupted()).filter((r) =>
        (!query.job || r.job === query.job) && (!query.before || r.startedAt < query.before) && (!query.status || query.status === 'running'));
      const filter: Record<string, unknown> = query.job ? { job: query.job } : {};
      if (query.before) filter.startedAt = { $lt: query.before };
      if (query.status) filter.status = query.status;
      const limit = query.limit ?? 20;
      const found = await withStoreErrors('list job runs', () =>
        runs.find(filter, { projection: { items: 0 } }).sort({ startedAt: -1 }).limit(limit).toArray(),
      );
      return [...pending, ...found].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime()).slice(0, limit).map(withoutItems);
    },

    async get(id) {
      const pending = await settleInterrupted();
      const found = (await withStoreErrors('read job run', () => runs.findOne({ _id: id }))) ?? pending.find((r) => r._id === id);
      if (!found) throw new AppError('JOB_RUN_NOT_FOUND', `no job run with id ${id}`, { hint: 'List runs with `mailroom jobs results`.' });
      return withItems(found);
    },

    async recordInterrupted(lease) {
      if (typeof lease.run === 'string') await storeInterrupted({ ...lease, run: lease.run }, clock());
    },

    async prune(before) {
      await settleInterrupted();
      const old = await withStoreErrors('find old job runs', () =>
        runs.find({ startedAt: { $lt: before }, status: { $ne: 'running' } }, { projection: { _id: 1 } }).toArray(),
      );
      const ids = old.map((run) => run._id);
      if (ids.length === 0) return { runs: 0, itemPages: 0 };
      // Item pages first: a run whose pages went is still listed and pruned next time; never pages without their run.
      const pages = await withStoreErrors('remove old job run items', () => itemPages.deleteMany({ run: { $in: ids } }));
      const removed = await withStoreErrors('remove old job runs', () => runs.deleteMany({ _id: { $in: ids } }));
      return { runs: removed.deletedCount, itemPages: pages.deletedCount };
    },

    async latest(jobs) {
      const pending = await settleInterrupted();
      const out = new Map<string, JobRunSummary>();
      for (const job of jobs) {
        const found = await withStoreErrors('read latest run', () => runs.find({ job }, { projection: { items: 0 } }).sort({ startedAt: -1 }).limit(1).toArray());
        const newest = [...pending.filter((r) => r.job === job), ...found].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())[0];
        if (newest) out.set(job, withoutItems(newest));
      }
      return out;
    },
  };
}
