import type { JobConfig } from '../config/job-config.ts';
import type { Clock } from '../core/index.ts';
import { createJobLocks, type JobResults, type JobRunStatus } from '../jobs/index.ts';
import type { Store } from '../store/index.ts';
import { agendaJobNames } from './agenda-job-names.ts';
import { readJobOverrides } from './job-overrides.ts';
import { isEffectivelyEnabled } from './reconcile-schedules.ts';

/** The collection @agendajs/mongo-backend keeps its entries in (its default). */
const agendaCollection = 'agendaJobs';

/** One configured job as people review it: `mailroom jobs list`, the API's job resource and the console's overview. */
export interface JobDescription {
  name: string;
  type: JobConfig['type'];
  /** What the job works on, in words: "support@contoso.com / Inbox/Support", a calendar, a room list. */
  target: string;
  schedule: string;
  enabled: boolean;
  /** Set when `jobs enable|disable` overrides the schedule file. */
  override: 'enabled' | 'disabled' | null;
  /** A run of it holds the job's lease now (a worker's schedule, `jobs run`, the API). */
  running: boolean;
  /** `interrupted`: its process died mid-run (the results store says so once the run's lease lapsed). */
  lastRun: { id: string; status: JobRunStatus; startedAt: Date; endedAt: Date | null; counts: Record<string, number> } | null;
  nextRunAt: Date | null;
  /** Failed runs since the last one that was not a failure. */
  failuresInRow: number;
  /** Graph change notifications of the job; null when it polls only. */
  push: JobPushDescription | null;
}

/** A job's push subscriptions in a few facts; a calendar job has one per watched mailbox (the least healthy is shown). */
export interface JobPushDescription {
  status: string;
  subscriptions: number;
  subscriptionId: string | null;
  expiresAt: Date | null;
  lastNotificationAt: Date | null;
  notifications: number;
  missed: number;
  refused: number;
  lastError: { code: string; message: string } | null;
}

/** What describeJobs reads of push (the app's push store satisfies it; the scheduler does not import push). */
export interface PushStatesPort {
  list(jobs?: readonly string[]): Promise<readonly { job: string; subscriptionId: string | null; status: string; expiresAt: Date | null; lastNotificationAt: Date | null; notifications: number; missed: number; refused: number; lastError: { code: string; message: string } | null }[]>;
}

const pushStatusRank: Record<string, number> = { failing: 0, removed: 1, reauthorize: 2, off: 3, active: 4 };

function describePush(states: Awaited<ReturnType<PushStatesPort['list']>>): JobPushDescription | null {
  if (states.length === 0) return null;
  const worst = [...states].sort((a, b) => (pushStatusRank[a.status] ?? 0) - (pushStatusRank[b.status] ?? 0))[0]!;
  const last = states.map((s) => s.lastNotificationAt).filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
  return {
    status: worst.status, subscriptions: states.length, subscriptionId: worst.subscriptionId, expiresAt: worst.expiresAt, lastNotificationAt: last,
    notifications: states.reduce((n, s) => n + s.notifications, 0), missed: states.reduce((n, s) => n + s.missed, 0), refused: states.reduce((n, s) => n + s.refused, 0),
    lastError: worst.lastError ? { code: worst.lastError.code, message: worst.lastError.message } : null,
  };
}

interface AgendaEntry {
  data?: { job?: string };
  nextRunAt?: Date | null;
}

export interface DescribeJobsHost {
  readonly config: { readonly jobs: readonly JobConfig[] };
  readonly store: Store;
  readonly results: JobResults;
  readonly clock: Clock;
  /** Push subscriptions, when the host has them. */
  readonly push?: PushStatesPort;
}

export function describeTarget(job: JobConfig): string {
  switch (job.type) {
    case 'mail': return `${job.mailbox} / ${job.folder}`;
    case 'notifications': return `sends as ${job.mailbox}`;
    case 'calendar-publish': return job.resources ? job.resources.map((r) => r.mailbox).join(', ') : 'every planned resource';
    case 'calendar-read': return job.users.join(', ');
    case 'room-sync': return job.roomList ? `room list ${job.roomList}` : (job.rooms ?? []).join(', ');
    case 'alerts': return job.recipients.length > 0 ? `mails ${job.recipients.join(', ')}` : 'logs and shows alerts only';
  }
}

const failureStatuses = new Set<string>(['failed', 'aborted', 'interrupted']);

/** Every configured job (or the named ones) with its schedule, state, last and next run, read from the database. */
export async function describeJobs(host: DescribeJobsHost, names?: readonly string[]): Promise<JobDescription[]> {
  const jobs = names ? host.config.jobs.filter((j) => names.includes(j.name)) : host.config.jobs;
  const overrides = await readJobOverrides(host.store);
  const latest = await host.results.latest(jobs.map((j) => j.name));
  const entries = await host.store.db.collection<AgendaEntry>(agendaCollection)
    .find({ name: { $in: Object.values(agendaJobNames) }, 'data.job': { $in: jobs.map((j) => j.name) } })
    .project<AgendaEntry>({ data: 1, nextRunAt: 1 }).toArray();
  const locks = createJobLocks(host.store, host.clock);
  const pushStates = host.push ? await host.push.list(jobs.map((j) => j.name)) : [];
  const byJob = new Map(entries.map((e) => [e.data?.job ?? '', e]));
  const out: JobDescription[] = [];
  for (const job of jobs) {
    const entry = byJob.get(job.name);
    const last = latest.get(job.name);
    // The job's lease says whether it runs now, wherever it was started.
    const running = (await locks.holder(job.name)) !== null;
    let failuresInRow = 0;
    if (last && failureStatuses.has(last.status)) {
      for (const run of await host.results.list({ job: job.name, limit: 50 })) {
        if (run.status === 'running') continue;
        if (!failureStatuses.has(run.status)) break;
        failuresInRow += 1;
      }
    }
    out.push({
      name: job.name,
      type: job.type,
      target: describeTarget(job),
      schedule: job.schedule,
      enabled: isEffectivelyEnabled(job, overrides),
      override: overrides.has(job.name) ? (overrides.get(job.name) ? 'enabled' : 'disabled') : null,
      running,
      lastRun: last ? { id: last._id, status: last.status, startedAt: last.startedAt, endedAt: last.endedAt, counts: last.counts } : null,
      nextRunAt: entry?.nextRunAt ?? null,
      failuresInRow,
      push: describePush(pushStates.filter((p) => p.job === job.name)),
    });
  }
  return out;
}
