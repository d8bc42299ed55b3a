import type { Logger } from '../log/index.ts';
import type { JobRun } from './job-results.ts';
import type { JobRunStatus } from './job-run-record.ts';

export interface JobProgress {
  done: number;
  /** null while the total is unknown (a delta round still paging). */
  total: number | null;
  label?: string;
}

export interface JobHandlerContext {
  /** Record items and counts here; the runner opens and closes it. */
  run: JobRun;
  /** Aborted on shutdown or when a run exceeds its time: stop between items, leave nothing half-done. */
  signal: AbortSignal;
  logger: Logger;
  onProgress(progress: JobProgress): void;
  /** Counts every Graph request the run makes; the handler passes it to the Graph clients it creates (same shape as the graph module's counter). */
  graphCalls: { requests: number; operations: number; byStatus: Record<string, number> };
}

export interface JobHandlerResult {
  /** Defaults to partial when items failed, else succeeded. */
  status?: JobRunStatus;
}

/** One job type's work for one run. Lanes build handlers with their own dependencies; the runner only knows this. */
export type JobHandler<J = unknown> = (job: J, context: JobHandlerContext) => Promise<JobHandlerResult | void>;
