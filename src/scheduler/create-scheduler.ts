import { hostname } from 'node:os';
import { Agenda, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { MailroomConfig } from '../config/load-config.ts';
import type { JobRunRecord } from '../jobs/index.ts';
import type { Logger } from '../log/index.ts';
import type { Store } from '../store/index.ts';
import type { JobConfig } from '../config/job-config.ts';
import { agendaJobNames, type AgendaJobData } from './agenda-job-names.ts';
import { readJobOverrides } from './job-overrides.ts';
import { intervalOf, nextSlot } from './job-phase.ts';
import { isEffectivelyEnabled, reconcileSchedules, type ReconcileResult } from './reconcile-schedules.ts';
import { AppError, isAppError } from '../core/index.ts';
import { withStoreErrors } from '../store/index.ts';

/** The collection @agendajs/mongo-backend keeps its entries in (its default). */
const agendaCollection = 'agendaJobs';

/**
 * Jobs a worker runs at once unless told otherwise (`mailroom worker --concurrency`). An empty poll mostly waits on
 * the database and Graph (measured in README's performance paragraph), so more than the cores; a run working a backlog
 * holds up to two 8 MiB $batches of MIME (one fetched ahead), so not so many that a worker's memory follows the number of busy mailboxes.
 */
export const defaultConcurrency = 8;

/** What the scheduler needs of the application (the composition root provides it). */
export interface SchedulerHost {
  readonly config: MailroomConfig;
  readonly store: Store;
  readonly logger: Logger;
  findJob(name: string): JobConfig;
  runJobNow(name: string, options?: { signal?: AbortSignal; worker?: string }): Promise<JobRunRecord>;
  /** Called after Agenda has recorded the end of a run (its next run is set by then), e.g. to run again at once. */
  afterRun?(name: string): Promise<void>;
}

export interface SchedulerOptions {
  /** Shown in job results and Agenda's lastModifiedBy. */
  workerName?: string;
  /**
   * How long a worker's lock on a running job lasts without a refresh (ms). A run refreshes it every third of this,
   * so only a dead worker's lock expires; then another worker takes the job over. Default 10 minutes.
   */
  lockLifetimeMs?: number;
  /** How often this worker looks for due jobs (ms). Default 5 s. */
  processEveryMs?: number;
  /** Jobs of all kinds this worker runs at once. Default `defaultConcurrency`. */
  maxConcurrency?: number;
}

export interface Scheduler {
  readonly agenda: Agenda;
  readonly workerName: string;
  reconcile(): Promise<ReconcileResult>;
  start(): Promise<ReconcileResult>;
  /** Stops taking jobs, lets running runs finish within graceMs, then aborts them (recorded as aborted) and releases locks. */
  stop(graceMs?: number): Promise<void>;
  /** Asks the workers to run a job as soon as one is free (`jobs run --queue`). */
  queue(jobName: string): Promise<void>;
}

/** Workers share one MongoDB; Agenda's locks split the jobs between them. No scheduler of our own. */
export function createScheduler(app: SchedulerHost, options: SchedulerOptions = {}): Scheduler {
  const workerName = options.workerName ?? `${hostname()}:${process.pid}`;
  const lockLifetime = options.lockLifetimeMs ?? 10 * 60_000;
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: app.store.db }),
    name: workerName,
    processEvery: options.processEveryMs ?? 5000,
    maxConcurrency: options.maxConcurrency ?? defaultConcurrency,
    defaultConcurrency: options.maxConcurrency ?? defaultConcurrency,
    defaultLockLifetime: lockLifetime,
  });
  const abortWaitMs = 15_000;
  const running = new Set<{ controller: AbortController; finished: Promise<void> }>();
  let stopping = false;

  agenda.on('error', (error) => app.logger.error(`scheduler: ${error.message}`));
  const completions = new Map<string, () => void>();
  agenda.on('complete', (completed: Job) => {
    const id = String(completed.attrs._id);
    completions.get(id)?.();
    completions.delete(id);
    const name = (completed.attrs.data as AgendaJobData | undefined)?.job;
    if (name && app.afterRun) void app.afterRun(name).catch((error: Error) => app.logger.warn(`scheduler: after the run of ${name}: ${error.message}`));
  });

  async function runAgendaJob(agendaJob: Job<AgendaJobData>): Promise<void> {
    const name = agendaJob.attrs.data.job;
    let job: JobConfig;
    try {
      job = app.findJob(name);
    } catch {
      app.logger.warn(`scheduler: job "${name}" is no longer configured; unscheduling it`);
      await agendaJob.remove();
      return;
    }
    if (stopping) return;
    const controller = new AbortController();
    // The lock is refreshed while the run lasts, so a long run is never taken over by another worker.
    const touch = setInterval(() => void agendaJob.touch().catch((error: Error) => app.logger.warn(`scheduler: lock refresh failed: ${error.message}`)), Math.max(1000, lockLifetime / 3));
    const done = app.runJobNow(job.name, { signal: controller.signal, worker: workerName });
    // Settles once Agenda has saved the job's end and released its lock (its "complete" event), not merely when our
    // run returns: a shutdown that closed the database in between would leave the lock behind.
    const id = String(agendaJob.attrs._id);
    const finished = new Promise<void>((resolveFinished) => completions.set(id, resolveFinished));
    const entry = { controller, finished };
    running.add(entry);
    void finished.then(() => running.delete(entry));
    try {
      // A failed run is recorded in job results; the repeating job simply runs again on its next tick.
      await done;
    } catch (error) {
      // Someone runs it by hand (`jobs run`) or through the API right now: this tick is skipped, not queued up.
      if (!isAppError(error, 'JOB_BUSY')) throw error;
      app.logger.info(`scheduler: ${(error as Error).message}; skipping this tick`);
    } finally {
      clearInterval(touch);
      // Agenda would repeat an interval from when this run started (each late start moving the job later, and jobs
      // started together staying together); the next run is the job's next slot instead. Agenda saves it as the run ends.
      const interval = intervalOf(String(agendaJob.attrs.repeatInterval ?? ''));
      if (interval !== null) agendaJob.attrs.nextRunAt = nextSlot(name, interval, agendaJob.attrs.lastRunAt ?? new Date());
    }
  }

  for (const agendaName of new Set(Object.values(agendaJobNames))) {
    agenda.define<AgendaJobData>(agendaName, runAgendaJob, { lockLifetime, concurrency: options.maxConcurrency ?? defaultConcurrency });
  }

  async function reconcile(): Promise<ReconcileResult> {
    const result = await reconcileSchedules(agenda, app.store, app.config.jobs, await readJobOverrides(app.store));
    const { firstRuns, ...names } = result;
    const times = Object.values(firstRuns).map((d) => d.getTime());
    const spread = times.length > 1 ? { firstRuns: times.length, spreadSeconds: Math.round((Math.max(...times) - Math.min(...times)) / 100) / 10 } : {};
    app.logger.info('schedules reconciled', { ...names, ...spread });
    return result;
  }

  return {
    agenda,
    workerName,
    reconcile,
    async start() {
      const result = await reconcile();
      await agenda.start();
      app.logger.info(`worker ${workerName} started`, { jobs: app.config.jobs.length, concurrency: options.maxConcurrency ?? defaultConcurrency });
      return result;
    },
    async stop(graceMs = 30_000) {
      stopping = true;
      // stop() first: it ends polling and unlocks the jobs this worker had locked but not started, so another worker
      // takes them at once (drain() keeps those locks until they expire, and afterwards stop() is a no-op). Running
      // jobs keep their locks and go on; Agenda records their end through the still open connection.
      await agenda.stop(false);
      const settled = (): Promise<unknown> => Promise.allSettled([...running].map((r) => r.finished));
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace over'>((resolveGrace) => {
        timer = setTimeout(() => resolveGrace('grace over'), graceMs);
      });
      if ((await Promise.race([settled(), graceOver])) === 'grace over' && running.size > 0) {
        app.logger.warn(`scheduler: ${running.size} run(s) still going after ${Math.round(graceMs / 1000)} s; interrupting them`);
        for (const r of running) r.controller.abort();
        // A handler stops between items once aborted; one that does not is left to its lock's expiry.
        let abortTimer: NodeJS.Timeout | undefined;
        await Promise.race([settled(), new Promise((resolveLate) => (abortTimer = setTimeout(resolveLate, abortWaitMs)))]);
        clearTimeout(abortTimer);
      }
      clearTimeout(timer);
    },
    async queue(jobName) {
      const job = app.findJob(jobName);
      if (!isEffectivelyEnabled(job, await readJobOverrides(app.store))) {
        throw new AppError('USAGE', `job ${jobName} is disabled`, { hint: `Enable it with \`mailroom jobs enable ${jobName}\`, or run it here with \`mailroom jobs run ${jobName}\`.` });
      }
      // Moves the job's one repeating entry to now with a plain update: a unique() save of an existing entry writes
      // lockedAt: null, which would unlock a run in progress (the job's lease still keeps a second run out).
      const moved = await withStoreErrors('queue job', () =>
        app.store.db.collection(agendaCollection).updateOne({ name: agendaJobNames[job.type], 'data.job': jobName }, { $set: { nextRunAt: new Date() } }),
      );
      if (moved.matchedCount > 0) return;
      // Not scheduled yet (no worker has reconciled): create its one repeating entry, due now.
      const due = agenda.create<AgendaJobData>(agendaJobNames[job.type], { job: jobName });
      due.unique({ name: agendaJobNames[job.type], 'data.job': jobName });
      due.repeatEvery(job.schedule, { skipImmediate: true });
      due.schedule(new Date());
      await due.save();
    },
  };
}
