import type { JobResults, JobRunStatus } from '../jobs/index.ts';
import { agendaJobNames } from './agenda-job-names.ts';
import type { Scheduler, SchedulerHost } from './create-scheduler.ts';
import { readJobOverrides } from './job-overrides.ts';
import { isEffectivelyEnabled } from './reconcile-schedules.ts';

/** One configured job as `mailroom jobs list` and GET /api/v1/jobs show it. */
export interface JobState {
  name: string;
  type: string;
  schedule: string;
  enabled: boolean;
  /** Set when `jobs enable|disable` overrides the schedule file. */
  override: 'enabled' | 'disabled' | null;
  /** A worker holds the job's lock now. */
  running: boolean;
  /** `interrupted`: the record says running, but no worker holds the lock (a killed worker's run). */
  lastRun: { id: string; status: JobRunStatus | 'interrupted'; startedAt: Date; endedAt: Date | null; counts: Record<string, number> } | null;
  nextRunAt: Date | null;
  /** Failed runs since the last one that did not fail. */
  failuresInRow: number;
  /** ok: the last run did not fail; failing: it did; never-run; disabled. */
  health: 'ok' | 'failing' | 'never-run' | 'disabled';
}

const recentRuns = 10;

/** Every configured job with its schedule, state, last and next run and health (the CLI and the API share this). */
export async function listJobStates(host: SchedulerHost & { results: JobResults }, scheduler: Pick<Scheduler, 'agenda'>): Promise<JobState[]> {
  const overrides = await readJobOverrides(host.store);
  const { jobs: scheduled } = await scheduler.agenda.queryJobs({ names: Object.values(agendaJobNames), includeDisabled: true, limit: 100_000 });
  const byJob = new Map(scheduled.map((s) => [(s.data as { job?: string } | undefined)?.job ?? '', s]));
  const states: JobState[] = [];
  for (const job of host.config.jobs) {
    const entry = byJob.get(job.name);
    const runs = await host.results.list({ job: job.name, limit: recentRuns });
    const last = runs[0];
    const locked = entry?.lockedAt !== null && entry?.lockedAt !== undefined;
    const enabled = isEffectivelyEnabled(job, overrides);
    let failuresInRow = 0;
    for (const run of runs) {
      if (run.status === 'running') continue;
      if (run.status !== 'failed') break;
      failuresInRow += 1;
    }
    states.push({
      name: job.name,
      type: job.type,
      schedule: job.schedule,
      enabled,
      override: overrides.has(job.name) ? (overrides.get(job.name) ? 'enabled' : 'disabled') : null,
      running: locked,
      lastRun: last ? { id: last._id, status: last.status === 'running' && !locked ? 'interrupted' : last.status, startedAt: last.startedAt, endedAt: last.endedAt, counts: last.counts } : null,
      nextRunAt: entry?.nextRunAt ? new Date(entry.nextRunAt) : null,
      failuresInRow,
      health: !enabled ? 'disabled' : !last ? 'never-run' : failuresInRow > 0 ? 'failing' : 'ok',
    });
  }
  return states;
}
