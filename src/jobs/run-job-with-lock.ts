import { AppError } from '../core/index.ts';
import type { JobHandler } from './job-handler.ts';
import type { HeldJobLock, JobLocks } from './job-locks.ts';
import type { JobResults } from './job-results.ts';
import type { JobRunRecord } from './job-run-record.ts';
import { runJob, type RunJobOptions } from './run-job.ts';

export interface RunJobWithLockOptions extends RunJobOptions {
  locks: JobLocks;
  /** How long the lease lasts without a refresh (ms); refreshed every third of it while the run goes on. Default 60 s. */
  lockLifetimeMs?: number;
  /** Wait until the job is free instead of failing with JOB_BUSY. */
  wait?: boolean;
  /** How often a waiting caller tries again (ms). Default 500. */
  retryEveryMs?: number;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolveSleep) => {
    const timer = setTimeout(resolveSleep, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolveSleep();
    }, { once: true });
  });

async function takeLock<J extends { name: string; type: string }>(job: J, options: RunJobWithLockOptions, lifetimeMs: number, run: string): Promise<HeldJobLock> {
  let announced = false;
  for (;;) {
    const lock = await options.locks.acquire(job.name, { lifetimeMs, worker: options.worker ?? null, run, type: job.type });
    if (lock) return lock;
    const holder = await options.locks.holder(job.name);
    const where = holder ? `${holder.run ? `run ${holder.run}` : 'a run'}${holder.worker ? ` on ${holder.worker}` : ''} since ${holder.since.toISOString()}` : 'a run';
    if (!options.wait) {
      throw new AppError('JOB_BUSY', `job ${job.name} is running elsewhere (${where})`, {
        hint: `Wait for it with \`mailroom jobs run ${job.name} --wait\`, or see it in \`mailroom jobs list\`.`,
      });
    }
    if (options.signal?.aborted) throw new AppError('JOB_ABORTED', `stopped while waiting for job ${job.name} to be free`);
    if (!announced) options.logger.info(`job ${job.name} is running elsewhere (${where}); waiting until it is free`);
    announced = true;
    await sleep(options.retryEveryMs ?? 500, options.signal);
  }
}

/**
 * Runs a job once under its lease, so two runs of one job never overlap, whoever starts them (a worker's schedule,
 * `mailroom jobs run`, the API). The lease is refreshed while the run goes on; if it is lost anyway (the process
 * stalled past the lifetime and another took over) the run is aborted. The run record names its lease, so a run
 * whose process died shows as interrupted once the lease has lapsed.
 */
export async function runJobWithLock<J extends { name: string; type: string }>(job: J, handler: JobHandler<J>, options: RunJobWithLockOptions): Promise<JobRunRecord> {
  const lifetimeMs = options.lockLifetimeMs ?? 60_000;
  // The run's id is chosen first, so the lease names it as it is taken (one write less than naming it afterwards).
  const runId = options.results.newRunId();
  const lock = await takeLock(job, options, lifetimeMs, runId);
  // The lease this run took over lapsed unreleased: its run died, maybe before it wrote a record (it writes it at its
  // first progress or its end), and only the lease named it. Recorded before the lease's next holder forgets it.
  if (lock.lapsed?.run) {
    await options.results.recordInterrupted(lock.lapsed).catch((error: Error) => options.logger.warn(`job ${job.name}: recording the interrupted run ${lock.lapsed!.run} failed: ${error.message}`));
  }
  const lost = new AbortController();
  const refresher = setInterval(() => {
    void lock.refresh().then(
      (kept) => {
        if (kept) return;
        options.logger.warn(`job ${job.name}: its lock lapsed and was taken over; stopping this run`);
        lost.abort();
      },
      (error: Error) => options.logger.warn(`job ${job.name}: lock refresh failed: ${error.message}`),
    );
  }, Math.max(200, Math.floor(lifetimeMs / 3)));
  const results: JobResults = {
    ...options.results,
    start: (name, type, worker) => options.results.start(name, type, worker, { lockOwner: lock.owner, id: runId }),
  };
  try {
    return await runJob(job, handler, { ...options, results, signal: options.signal ? AbortSignal.any([options.signal, lost.signal]) : lost.signal });
  } finally {
    clearInterval(refresher);
    await lock.release().catch((error: Error) => options.logger.warn(`job ${job.name}: releasing its lock failed (it lapses by itself): ${error.message}`));
  }
}
