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
import { isEffectivelyEnabled, reconcileSchedules, type ReconcileResult } from './reconcile-schedules.ts';
import { AppError } from '../core/index.ts';

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
  /** Jobs of all kinds this worker runs at once. Default 4. */
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
    maxConcurrency: options.maxConcurrency ?? 4,
    defaultConcurrency: options.maxConcurrency ?? 4,
    defaultLockLifetime: lockLifetime,
  });
  const running = new Set<{ controller: AbortController; done: Promise<unknown> }>();
  let stopping = false;

  agenda.on('error', (error) => app.logger.error(`scheduler: ${error.message}`));
  agenda.on('complete', (done) => {
    const name = (done.attrs.data as AgendaJobData | undefined)?.job;
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
    const entry = { controller, done };
    running.add(entry);
    try {
      // A failed run is recorded in job results; the repeating job simply runs again on its next tick.
      await done;
    } finally {
      clearInterval(touch);
      running.delete(entry);
    }
  }

  for (const agendaName of new Set(Object.values(agendaJobNames))) {
    agenda.define<AgendaJobData>(agendaName, runAgendaJob, { lockLifetime, concurrency: options.maxConcurrency ?? 4 });
  }

  async function reconcile(): Promise<ReconcileResult> {
    const result = await reconcileSchedules(agenda, app.config.jobs, await readJobOverrides(app.store));
    app.logger.info('schedules reconciled', { ...result });
    return result;
  }

  return {
    agenda,
    workerName,
    reconcile,
    async start() {
      const result = await reconcile();
      await agenda.start();
      app.logger.info(`worker ${workerName} started`, { jobs: app.config.jobs.length });
      return result;
    },
    async stop(graceMs = 30_000) {
      stopping = true;
      const timer = setTimeout(() => {
        for (const r of running) r.controller.abort();
      }, graceMs);
      // drain() stops taking jobs and waits until Agenda has recorded the end of the running ones; closing the
      // database before that would lose the record and leave the lock behind.
      const drained = await agenda.drain({ timeout: graceMs + 15_000 });
      clearTimeout(timer);
      // Whatever still runs after the grace period and its abort is unlocked, so another worker takes it over.
      if (drained.running > 0) await agenda.stop(false);
    },
    async queue(jobName) {
      const job = app.findJob(jobName);
      if (!isEffectivelyEnabled(job, await readJobOverrides(app.store))) {
        throw new AppError('USAGE', `job ${jobName} is disabled`, { hint: `Enable it with \`mailroom jobs enable ${jobName}\`, or run it here with \`mailroom jobs run ${jobName}\`.` });
      }
      // Moves the job's one repeating entry to now instead of adding a second entry, so Agenda's lock still keeps
      // a queued run from overlapping a scheduled one.
      const due = agenda.create<AgendaJobData>(agendaJobNames[job.type], { job: jobName });
      due.unique({ name: agendaJobNames[job.type], 'data.job': jobName });
      due.repeatEvery(job.schedule, { skipImmediate: true });
      due.schedule(new Date());
      await due.save();
    },
  };
}
