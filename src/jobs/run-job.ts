import { isAppError, toAppError } from '../core/index.ts';
import type { Logger } from '../log/index.ts';
import type { JobHandler, JobProgress } from './job-handler.ts';
import type { JobResults } from './job-results.ts';
import type { JobRunRecord } from './job-run-record.ts';

export interface RunJobOptions {
  results: JobResults;
  logger: Logger;
  signal?: AbortSignal;
  worker?: string | null;
  onProgress?: (progress: JobProgress) => void;
}

/**
 * Runs one job once and records the run. A handler's error ends the run as failed (recorded, then rethrown only
 * for callers that want it via the returned record's status); an abort ends it as aborted.
 */
export async function runJob<J extends { name: string; type: string }>(job: J, handler: JobHandler<J>, options: RunJobOptions): Promise<JobRunRecord> {
  const run = await options.results.start(job.name, job.type, options.worker ?? null);
  const graphCalls = { requests: 0, operations: 0, byStatus: {} as Record<string, number> };
  const signal = options.signal ?? new AbortController().signal;
  // Every line of the run names job, run and (where the job has one) mailbox; handlers log through this child.
  const mailbox = (job as { mailbox?: unknown }).mailbox;
  const logger = options.logger.child({ job: job.name, run: run.id, ...(typeof mailbox === 'string' ? { mailbox } : {}) });
  const started = Date.now();
  logger.debug(`job ${job.name} started`);
  const summary = (record: JobRunRecord) => ({ status: record.status, durationMs: Date.now() - started, counts: record.counts, graphRequests: graphCalls.requests, graphOperations: graphCalls.operations });
  try {
    const result = await handler(job, { run, signal, logger, graphCalls, onProgress: options.onProgress ?? (() => undefined) });
    const record = await run.finish({ ...(result?.status ? { status: result.status } : {}), graph: { requests: graphCalls.requests, operations: graphCalls.operations } });
    logger.info(`job ${job.name} ${record.status}`, summary(record));
    return record;
  } catch (error) {
    const appError = toAppError(error);
    const aborted = signal.aborted || isAppError(error, 'JOB_ABORTED');
    const record = await run.finish({
      status: aborted ? 'aborted' : 'failed',
      error: { code: appError.code, message: appError.message, ...(appError.hint ? { hint: appError.hint } : {}) },
      graph: { requests: graphCalls.requests, operations: graphCalls.operations },
    });
    // The one summary line of a failed run, at error level so a failed run stands out.
    logger[record.status === 'failed' ? 'error' : 'info'](`job ${job.name} ${record.status}: ${appError.message}`, { ...summary(record), code: appError.code });
    return record;
  }
}
