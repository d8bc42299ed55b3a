import { collectionNames, type Store } from '../../../src/store/index.ts';

/** The fields of a job run record the scale benchmark reads. */
export interface RunRow {
  job: string;
  worker: string;
  status: string;
  startedAt: Date;
  endedAt: Date | null;
  counts: Record<string, number>;
  graph: { requests: number; operations: number };
}

export async function readRuns(store: Store): Promise<RunRow[]> {
  return store.collection<RunRow>(collectionNames.jobRuns)
    .find({}, { projection: { job: 1, worker: 1, status: 1, startedAt: 1, endedAt: 1, counts: 1, graph: 1 } })
    .toArray();
}

export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
