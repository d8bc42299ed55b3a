import { parseDuration, type Clock } from '../core/index.ts';
import type { JobConfig } from '../config/job-config.ts';
import { resolveMailFolder, subscriptionResource, type GraphCallCounter, type GraphClient } from '../graph/index.ts';
import type { JobHandler } from '../jobs/index.ts';
import type { Logger } from '../log/index.ts';
import type { PushStore } from './create-push-store.ts';
import { keepSubscription, type PushSettings, type PushTarget } from './keep-subscription.ts';

/** The scheduler's side of push (a port, so push does not import the scheduler). */
export interface PushWaker {
  wake(job: JobConfig): Promise<boolean>;
  setRepeatInterval(job: JobConfig, interval: string): Promise<void>;
}

export interface PushDeps {
  store: PushStore;
  waker: PushWaker;
  clock: Clock;
  logger: Logger;
  graphFor(connection: string, counter: GraphCallCounter): GraphClient;
  /** Notification URLs and lifetimes; null when the server has no https public base URL (push cannot work). */
  settings: PushSettings | null;
}

/** The push options a job may carry (mail, calendar-read and room-sync jobs). */
export interface PushJobOptions {
  /** Default: on when the HTTP server has an https publicBaseUrl. */
  push?: boolean;
  /** How often the job still polls while its subscriptions work (the safety net). Default "15 minutes". */
  pollWhenPushHealthy?: string;
}

const defaultPollWhenHealthy = '15 minutes';

export function wantsPush(job: JobConfig, settings: PushSettings | null): boolean {
  const option = (job as PushJobOptions).push;
  return settings !== null && option !== false && ['mail', 'calendar-read', 'room-sync'].includes(job.type);
}

/** What a job subscribes to: its mail folder's created messages, or each watched calendar's events. */
export function pushTargetsOf(job: JobConfig, graph: GraphClient): PushTarget[] {
  if (job.type === 'mail') {
    return [{
      key: job.name, job: job.name, watch: `${job.mailbox}/${job.folder}`, changeTypes: ['created'],
      resource: async () => subscriptionResource({ kind: 'mail', mailbox: job.mailbox, folderId: (await resolveMailFolder(graph, job.mailbox, job.folder)).id }),
    }];
  }
  const mailboxes = job.type === 'calendar-read' ? job.users : job.type === 'room-sync' ? job.rooms ?? [] : [];
  return mailboxes.map((mailbox) => ({
    key: `${job.name}|${mailbox.toLowerCase()}`, job: job.name, watch: `${mailbox}/events`, changeTypes: ['created', 'updated', 'deleted'],
    resource: async () => subscriptionResource({ kind: 'events', mailbox }),
  }));
}

/** The interval to poll at: the safety-net interval while push works (never more often than configured), else the schedule. */
function pollInterval(job: JobConfig, healthy: boolean): string | null {
  let scheduleMs: number;
  try {
    scheduleMs = parseDuration(job.schedule);
  } catch {
    return null; // a cron schedule stays as it is; notifications only bring runs forward
  }
  const safetyNet = (job as PushJobOptions).pollWhenPushHealthy ?? defaultPollWhenHealthy;
  return healthy && parseDuration(safetyNet) > scheduleMs ? safetyNet : job.schedule;
}

/**
 * Wraps a job's handler: before the job's own work, its subscriptions are kept (created, renewed, re-created) under the
 * run's scheduler lock; while they work, polling slows to the safety-net interval, and goes back to the schedule when
 * they do not. The delta round that follows is always the truth; notifications only make it come sooner.
 */
export function withPush<J extends JobConfig>(inner: JobHandler<J>, deps: PushDeps): JobHandler<J> {
  return async (job, ctx) => {
    if (!deps.settings || !wantsPush(job, deps.settings)) return inner(job, ctx);
    const graph = deps.graphFor(job.connection, ctx.graphCalls);
    let healthy = true;
    for (const target of pushTargetsOf(job, graph)) {
      await deps.store.save(target.key, job.name, { runStartedAt: deps.clock() });
      const kept = await keepSubscription({ graph, store: deps.store, clock: deps.clock, signal: ctx.signal }, target, deps.settings);
      for (const note of kept.notes) ctx.run.note(note);
      if (kept.state.status !== 'active') healthy = false;
    }
    const interval = pollInterval(job, healthy);
    if (interval) await deps.waker.setRepeatInterval(job, interval);
    return inner(job, ctx);
  };
}

/**
 * Called once the scheduler has recorded the end of a run: a notification that came while the run was going may
 * name mail the run's delta round had already passed, so the job runs again now (Agenda's end-of-run save would
 * have overwritten a wake written during the run).
 */
export async function wakeIfNotifiedDuringRun(deps: Pick<PushDeps, 'store' | 'waker' | 'logger'>, job: JobConfig): Promise<void> {
  const states = await deps.store.list([job.name]);
  const pending = states.some((s) => s.wakeRequestedAt !== null && (s.runStartedAt === null || s.wakeRequestedAt.getTime() >= s.runStartedAt.getTime()));
  if (pending && (await deps.waker.wake(job))) deps.logger.debug(`push: ${job.name} was notified during its run; it runs again now`);
}
