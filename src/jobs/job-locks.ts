import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/index.ts';
import { isAppError } from '../core/index.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';

/** A job's lease as stored: whoever holds it runs the job; it lapses unless refreshed before `until`. */
export interface JobLockDoc {
  _id: string;
  owner: string;
  run: string | null;
  /** The job's type, so a run that died before its record was first written can still be recorded (job-results.ts). */
  type?: string | null;
  worker: string | null;
  since: Date;
  until: Date;
}

export interface HeldJobLock {
  readonly job: string;
  readonly owner: string;
  /** The lease this one took over: it had lapsed unreleased, so its run's process died or stalled. */
  readonly lapsed: JobLockDoc | null;
  /** Extends the lease; false when it was lost (expired and taken by another). */
  refresh(): Promise<boolean>;
  release(): Promise<void>;
}

export interface JobLocks {
  /** Takes the job's lease, or returns null while another holder's lease lasts. */
  /** `run` names the run the lease is taken for, so "running elsewhere" can say which. */
  acquire(job: string, options: { lifetimeMs: number; worker?: string | null; run?: string | null; type?: string | null }): Promise<HeldJobLock | null>;
  /** The live lease of a job, if any. */
  holder(job: string): Promise<JobLockDoc | null>;
}

/**
 * Leases in the job_locks collection, one document per job, shared by the scheduler's runs and `jobs run`: the
 * atomic findOneAndUpdate with upsert either takes a lapsed lease or inserts a fresh one, and the unique _id refuses
 * a second holder. Agenda's own lock covers only scheduled runs, not one started by hand, so it cannot be this lock.
 */
export function createJobLocks(store: Store, clock: Clock): JobLocks {
  const locks = store.collection<JobLockDoc>(collectionNames.jobLocks);
  return {
    async acquire(job, options) {
      const owner = randomUUID();
      const now = clock();
      const until = new Date(now.getTime() + options.lifetimeMs);
      let lapsed: JobLockDoc | null;
      try {
        // The document as it was: a lapsed lease taken over, or null when the lease was free.
        lapsed = await withStoreErrors('take job lock', () =>
          locks.findOneAndUpdate(
            { _id: job, until: { $lte: now } },
            { $set: { owner, run: options.run ?? null, type: options.type ?? null, worker: options.worker ?? null, since: now, until } },
            { upsert: true, returnDocument: 'before' },
          ),
        );
      } catch (error) {
        // The upsert inserts a document with the job's _id only when no lapsed lease matched: a live one exists.
        if (isAppError(error, 'STORE_DUPLICATE_KEY')) return null;
        throw error;
      }
      return {
        job,
        owner,
        lapsed,
        refresh: async () => {
          const result = await withStoreErrors('refresh job lock', () =>
            locks.updateOne({ _id: job, owner }, { $set: { until: new Date(clock().getTime() + options.lifetimeMs) } }),
          );
          return result.matchedCount === 1;
        },
        release: async () => void (await withStoreErrors('release job lock', () => locks.deleteOne({ _id: job, owner }))),
      };
    },
    async holder(job) {
      const found = await withStoreErrors('read job lock', () => locks.findOne({ _id: job }));
      return found && found.until > clock() ? found : null;
    },
  };
}
