import { systemClock, type Clock } from './core/index.ts';
import type { MailroomConfig } from './config/load-config.ts';
import type { JobConfig } from './config/job-config.ts';
import { AppError } from './core/index.ts';
import { createMongoTokenCacheStore, createTokenProvider } from './auth/index.ts';
import { createGraphClient, type GraphCallCounter, type GraphClient } from './graph/index.ts';
import { createJobLocks, createJobResults, runJobWithLock, type JobHandler, type JobProgress, type JobResults } from './jobs/index.ts';
import type { JobRunRecord } from './jobs/index.ts';
import type { Logger } from './log/index.ts';
import { createMailHandler, createQuarantineService, type QuarantineService } from './mail/connector/index.ts';
import { createNotificationBounces, createNotificationsHandler, loadNotifications } from './notify/index.ts';
import { createCalendarPublishHandler, createCalendarReadHandler, createRoomSyncHandler } from './calendar/index.ts';
import type { Store } from './store/index.ts';
import { createTicketStore, type TicketStore } from './tickets/index.ts';
import { createAlertsHandler } from './watch/index.ts';
import { createProcessTraffic, type ProcessTraffic } from './metrics/index.ts';
import { createPushStore, pushSettingsFor, wakeIfNotifiedDuringRun, withPush, type PushStore } from './push/index.ts';
import { createJobWaker } from './scheduler/index.ts';
import { notificationPaths } from './http/routes/graph-notification-routes.ts';

export interface App {
  readonly config: MailroomConfig;
  readonly store: Store;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly tickets: TicketStore;
  readonly results: JobResults;
  /** This process's Graph requests and token acquisitions, for /metrics. */
  readonly traffic: ProcessTraffic;
  graphFor(connection: string, counter: GraphCallCounter): GraphClient;
  handlerFor(job: JobConfig): JobHandler<JobConfig>;
  findJob(name: string): JobConfig;
  /** Runs a job here and now under its lock (JOB_BUSY while it runs elsewhere, unless `wait`): the one way every caller runs a job. */
  runJobNow(name: string, options?: { signal?: AbortSignal; onProgress?: (progress: JobProgress) => void; worker?: string; wait?: boolean }): Promise<JobRunRecord>;
  /** Graph subscriptions of the jobs that use push. */
  readonly push: PushStore;
  /** Quarantined mail of mail jobs: list and replay (the CLI, the API and the console share it). */
  readonly quarantine: QuarantineService;
  /** Brings a job's next run forward (a change notification came); false when it is disabled or already due. */
  wakeJob(name: string): Promise<boolean>;
  /** The scheduler calls this once it has recorded the end of a run. */
  afterRun(name: string): Promise<void>;
}

export interface AppOptions {
  config: MailroomConfig;
  store: Store;
  logger: Logger;
  clock?: Clock;
  /** Replaces the handler of a job type: how tests observe the scheduler without real mail work. */
  handlers?: Partial<Record<JobConfig['type'], JobHandler<JobConfig>>>;
  traffic?: ProcessTraffic;
  /** Where Graph reaches this installation's HTTP server (default: the config's http.publicBaseUrl); push needs https. */
  publicBaseUrl?: string | null;
}

/**
 * The composition root: builds every service from validated config. Nothing connects until a job needs it:
 * token providers and Graph clients are created per connection on first use and then shared by all jobs.
 */
export function createApp(options: AppOptions): App {
  const { config, store, logger } = options;
  const clock = options.clock ?? systemClock;
  const tickets = createTicketStore(store, clock);
  const results = createJobResults(store, clock);
  const locks = createJobLocks(store, clock);
  // A job's lease: how soon a run whose process died shows as interrupted and the job can run again elsewhere.
  const lockSeconds = Number(config.env.MAILROOM_JOB_LOCK_SECONDS ?? '60');
  const lockLifetimeMs = (Number.isFinite(lockSeconds) && lockSeconds > 0 ? lockSeconds : 60) * 1000;
  const clients = new Map<string, GraphClient>();
  const traffic = options.traffic ?? createProcessTraffic();

  function graphFor(name: string, counter: GraphCallCounter): GraphClient {
    let client = clients.get(name);
    if (!client) {
      const connection = config.connections.find((c) => c.name === name);
      if (!connection) throw new AppError('CONFIG_INVALID', `no connection named "${name}"`);
      const context = { env: config.env, baseDir: config.root, logger, store: createMongoTokenCacheStore(store) };
      const tokenProvider = createTokenProvider(connection, context);
      traffic.watchTokenProvider(name, tokenProvider);
      client = createGraphClient(connection, { tokenProvider, logger, baseDir: config.root, counter: traffic.graphCounter(name) });
      clients.set(name, client);
    }
    return client.withCounter(counter);
  }

  const push = createPushStore(store);
  const waker = createJobWaker(store, clock);
  const pushDeps = { store: push, waker, clock, logger, graphFor, settings: pushSettingsFor(options.publicBaseUrl !== undefined ? options.publicBaseUrl : config.http?.publicBaseUrl, notificationPaths) };
  const ownMailboxes = config.jobs.flatMap((j) => (j.type === 'mail' ? [j.mailbox] : []));
  const laneDeps = { store, graphFor, clock, logger };
  // Delivery reports for our notifications arrive as mail; the mail lane records them in notify's outbox through this.
  const bounces = createNotificationBounces({ store, clock, logger, hardBouncesToSuppress: async () => (await loadNotifications(config.notificationsFile)).limits.hardBouncesToSuppress });
  // Each lane's handler takes its own job config type; the scheduler dispatches by `type`, so the casts are sound.
  const handlers: Partial<Record<JobConfig['type'], JobHandler<JobConfig>>> = {
    mail: withPush(createMailHandler({ store, tickets, graphFor, clock, root: config.root, bounces }), pushDeps) as JobHandler<JobConfig>,
    notifications: createNotificationsHandler({ ...laneDeps, notificationsFile: config.notificationsFile, ownMailboxes, webhooks: { targets: config.http?.webhooks ?? [], env: config.env, baseDir: config.root } }) as JobHandler<JobConfig>,
    'calendar-publish': createCalendarPublishHandler(laneDeps) as JobHandler<JobConfig>,
    'calendar-read': withPush(createCalendarReadHandler(laneDeps), pushDeps) as JobHandler<JobConfig>,
    'room-sync': withPush(createRoomSyncHandler(laneDeps), pushDeps) as JobHandler<JobConfig>,
    alerts: createAlertsHandler({ store, config, results, clock }) as JobHandler<JobConfig>,
    ...options.handlers,
  };

  function findJob(name: string): JobConfig {
    const job = config.jobs.find((j) => j.name === name);
    if (!job) throw new AppError('JOB_NOT_FOUND', `no job named "${name}"`, { hint: `Known jobs: ${config.jobs.map((j) => j.name).join(', ') || 'none'} (see schedules/).` });
    return job;
  }

  function handlerFor(job: JobConfig): JobHandler<JobConfig> {
    const handler = handlers[job.type];
    if (!handler) throw new AppError('INTERNAL', `no handler for job type "${job.type}"`);
    return handler;
  }

  function runJobNow(name: string, runOptions: Parameters<App['runJobNow']>[1] = {}): Promise<JobRunRecord> {
    const job = findJob(name);
    return runJobWithLock(job, handlerFor(job), { results, logger, locks, lockLifetimeMs, ...runOptions });
  }
  // A replay runs the job here and now, waiting for a run that is going on elsewhere to finish first.
  const quarantine = createQuarantineService({ store, clock, graphFor, findJob, runJob: (name) => runJobNow(name, { wait: true }) });

  return {
    config, store, logger, clock, tickets, results, traffic, graphFor, handlerFor, findJob, push, quarantine, runJobNow,
    wakeJob: (name) => waker.wake(findJob(name)),
    async afterRun(name) {
      const job = config.jobs.find((j) => j.name === name);
      if (job && pushDeps.settings) await wakeIfNotifiedDuringRun(pushDeps, job);
    },
  };
}
