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
    });
  }
  return out;
}
