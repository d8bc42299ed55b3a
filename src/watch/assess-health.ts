import type { MailroomConfig } from '../config/load-config.ts';
import type { JobResults } from '../jobs/index.ts';
import type { Store } from '../store/index.ts';
import type { AlertCondition } from './alert-types.ts';
import { alertRulesOf, findAlertConditions } from './find-alert-conditions.ts';
import type { WatchedJob } from './watch-facts.ts';

export type HealthStatus = 'healthy' | 'degraded' | 'failing';

export interface HealthCheck {
  /** `job:<name>`, `alert:<key>`, `database`, `config`. */
  name: string;
  status: 'ok' | 'warn' | 'fail';
  message: string;
  hint?: string;
}

export interface HealthReport {
  status: HealthStatus;
  checks: HealthCheck[];
}

/** A job as the scheduler has it (its describeJobs), passed in by a caller that may import the scheduler. */
export interface ScheduledEntry {
  job: string;
  /** null: no worker has scheduled it. */
  nextRunAt: Date | null;
  /** A worker holds its lock now. */
  running: boolean;
}

export interface HealthContext {
  config: MailroomConfig;
  store: Store;
  results: JobResults;
  now: Date;
  /** The scheduler's entries; null when they could not be read (then the schedule is not judged). */
  scheduled: readonly ScheduledEntry[] | null;
  /** A job whose next run is due longer ago than this has no worker running it (default 10 minutes). */
  overdueAfterMs?: number;
}

/** Monitors' exit codes: 0 healthy, 1 degraded, 2 failing. */
export const healthExitCodes: Record<HealthStatus, 0 | 1 | 2> = { healthy: 0, degraded: 1, failing: 2 };

function jobCheck(watched: WatchedJob, entry: ScheduledEntry | undefined, context: HealthContext, conditions: AlertCondition[]): HealthCheck {
  const name = `job:${watched.job.name}`;
  const mine = conditions.filter((c) => (c.type === 'job-failing' || c.type === 'job-silent') && c.subject === watched.job.name);
  const worst = mine.find((c) => c.severity === 'critical') ?? mine[0];
  if (worst) return { name, status: worst.severity === 'critical' ? 'fail' : 'warn', message: worst.summary, hint: worst.hint };
  const overdueAfter = context.overdueAfterMs ?? 10 * 60_000;
  if (context.scheduled !== null && (!entry || (entry.nextRunAt === null && !entry.running))) {
    return { name, status: 'warn', message: `job ${watched.job.name} is not scheduled: no worker has started since it was added`, hint: 'Start the service (`mailroom start` or `mailroom worker`).' };
  }
  if (entry?.nextRunAt && !entry.running && context.now.getTime() - entry.nextRunAt.getTime() > overdueAfter) {
    return { name, status: 'fail', message: `job ${watched.job.name} has been due since ${entry.nextRunAt.toISOString()}: no worker is running it`, hint: 'Start the service (`mailroom start` or `mailroom worker`), or look at why it stopped.' };
  }
  const last = watched.runs.find((r) => r.status !== 'running');
  if (!last) return { name, status: 'warn', message: `job ${watched.job.name} has never run`, hint: `Run it once with \`mailroom jobs run ${watched.job.name}\`.` };
  if (last.status === 'failed') {
    return { name, status: 'warn', message: `the last run of job ${watched.job.name} failed${last.error ? ` (${last.error.code}: ${last.error.message})` : ''}`, hint: `See \`mailroom jobs show ${last._id}\`.` };
  }
  return { name, status: 'ok', message: `last run ${last.status} at ${(last.endedAt ?? last.startedAt).toISOString()}` };
}

/**
 * The service's health as a monitor wants it: every enabled job and every alert condition judged now from what
 * is stored (the alerts job's rules, or their defaults). failing: a critical condition (a job failing N runs in a
 * row, an expired or nearly expired credential, a lost sign-in) or a job no worker runs; degraded: a warning or a
 * job whose last run failed, that never ran or that is not scheduled; healthy otherwise.
 */
export async function assessHealth(context: HealthContext): Promise<HealthReport> {
  const rules = alertRulesOf(context.config);
  const { facts, conditions } = await findAlertConditions({ config: context.config, store: context.store, results: context.results, now: context.now, rules });
  const byJob = new Map((context.scheduled ?? []).map((s) => [s.job, s]));
  const checks: HealthCheck[] = [{ name: 'database', status: 'ok', message: 'reachable' }];
  for (const watched of facts.jobs) {
    if (!watched.enabled || rules.jobs[watched.job.name]?.enabled === false) continue;
    checks.push(jobCheck(watched, byJob.get(watched.job.name), context, conditions));
  }
  for (const c of conditions) {
    if (c.type === 'job-failing' || c.type === 'job-silent') continue;
    checks.push({ name: `alert:${c.key}`, status: c.severity === 'critical' ? 'fail' : 'warn', message: c.summary, hint: c.hint });
  }
  const status: HealthStatus = checks.some((c) => c.status === 'fail') ? 'failing' : checks.some((c) => c.status === 'warn') ? 'degraded' : 'healthy';
  return { status, checks };
}
