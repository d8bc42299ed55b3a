import type { JobConfig } from '../config/job-config.ts';
import type { Clock } from '../core/index.ts';
import { withStoreErrors, type Store } from '../store/index.ts';
import { agendaJobNames } from './agenda-job-names.ts';

/** The collection @agendajs/mongo-backend keeps its jobs in (its default). */
const agendaCollection = 'agendaJobs';

export interface JobWaker {
  /** Moves the job's one scheduler entry to now; a running run is not disturbed and the entry stays single. */
  wake(job: JobConfig): Promise<boolean>;
  /** Sets how often the job's entry repeats from its next run on (e.g. longer while push notifications work). */
  setRepeatInterval(job: JobConfig, interval: string): Promise<void>;
}

/**
 * Writes only `nextRunAt` / `repeatInterval` of the existing entry. Saving a `unique()` job instead would also write
 * `lockedAt: null` and so unlock a run in progress (another worker could then start the same job beside it). Works
 * from any process on the database: a notification may reach a process that runs no scheduler.
 */
export function createJobWaker(store: Store, clock: Clock): JobWaker {
  const entries = store.db.collection(agendaCollection);
  const query = (job: JobConfig): Record<string, unknown> => ({ name: agendaJobNames[job.type], 'data.job': job.name });
  return {
    async wake(job) {
      const now = clock();
      // Never later than it already was: a wake only brings a run forward.
      const result = await withStoreErrors('wake job', () =>
        entries.updateOne({ ...query(job), disabled: { $ne: true }, $or: [{ nextRunAt: null }, { nextRunAt: { $gt: now } }] }, { $set: { nextRunAt: now } }),
      );
      return result.matchedCount > 0;
    },
    async setRepeatInterval(job, interval) {
      await withStoreErrors('set job interval', () => entries.updateOne({ ...query(job), repeatInterval: { $ne: interval } }, { $set: { repeatInterval: interval } }));
    },
  };
}
