import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';

export interface EndedRun {
  _id: string;
  job: string;
  type: string;
  status: string;
  counts: Record<string, number>;
  startedAt: Date;
  endedAt: Date;
}

/** Runs whose end was recorded a little before the newest one seen are read again, in case a worker wrote late. */
const overlapMs = 10 * 60_000;

/**
 * Reads every finished run once, from the database, so every process serving /metrics counts the runs of all
 * workers: the first scrape reads them all, later ones only those ended since (with an overlap, de-duplicated by
 * id). Counting from what was read, not from what is stored now, keeps the counters monotonic when
 * `mailroom jobs prune` removes old runs. Reads job_runs directly (read-only) with the `ended` index.
 */
export function createRunTally(store: Store): (onRun: (run: EndedRun) => void) => Promise<void> {
  const runs = store.collection<EndedRun>(collectionNames.jobRuns);
  const seen = new Map<string, number>();
  let newest: number | null = null;
  return async (onRun) => {
    const filter = newest === null ? { endedAt: { $ne: null as unknown as Date } } : { endedAt: { $gte: new Date(newest - overlapMs) } };
    const found = await withStoreErrors('read finished job runs', () =>
      runs.find(filter, { projection: { job: 1, type: 1, status: 1, counts: 1, startedAt: 1, endedAt: 1 } }).toArray());
    for (const run of found) {
      if (!(run.endedAt instanceof Date) || seen.has(run._id)) continue;
      seen.set(run._id, run.endedAt.getTime());
      newest = Math.max(newest ?? 0, run.endedAt.getTime());
      onRun(run);
    }
    if (newest !== null) {
      for (const [id, ended] of seen) if (ended < newest - overlapMs) seen.delete(id);
    }
  };
}
