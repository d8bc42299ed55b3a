import { parseDuration } from '../core/index.ts';
import type { AlertCondition } from './alert-types.ts';
import type { AlertRules, WatchedJob } from './watch-facts.ts';

const finished = new Set(['succeeded', 'partial', 'failed']);
const good = new Set(['succeeded', 'partial']);

function failing(watched: WatchedJob, failedRuns: number): AlertCondition | null {
  const last = watched.runs.filter((r) => finished.has(r.status)).slice(0, failedRuns);
  if (last.length < failedRuns || last.some((r) => r.status !== 'failed')) return null;
  const error = last[0]!.error;
  const name = watched.job.name;
  return {
    key: `job-failing:${name}`, type: 'job-failing', severity: 'critical', subject: name,
    summary: `job ${name} failed its last ${failedRuns} run${failedRuns === 1 ? '' : 's'}${error ? ` (${error.code}: ${error.message})` : ''}`,
    hint: error?.hint ?? `See \`mailroom jobs results ${name}\` and \`mailroom jobs show <run>\`.`,
    details: { job: name, runs: last.map((r) => r._id), error },
  };
}

function silent(watched: WatchedJob, afterMs: number, now: Date): AlertCondition | null {
  if (watched.runs.length === 0) return null;
  const lastGood = watched.runs.find((r) => good.has(r.status));
  // Never a good run among those read: count from the oldest one read (the job has been trying since then at least).
  const since = lastGood ? (lastGood.endedAt ?? lastGood.startedAt) : watched.runs[watched.runs.length - 1]!.startedAt;
  if (now.getTime() - since.getTime() <= afterMs) return null;
  const name = watched.job.name;
  const hours = Math.floor((now.getTime() - since.getTime()) / 3_600_000);
  return {
    key: `job-silent:${name}`, type: 'job-silent', severity: 'warning', subject: name,
    summary: lastGood
      ? `job ${name} has had no successful run for ${hours} hour${hours === 1 ? '' : 's'} (last one ended ${since.toISOString()})`
      : `job ${name} has had no successful run since ${since.toISOString()}`,
    hint: `Check that a worker runs (\`mailroom jobs list\`) and what the latest runs say (\`mailroom jobs results ${name}\`).`,
    details: { job: name, lastSuccessAt: lastGood ? since : null },
  };
}

/** Job conditions from stored runs: N failed runs in a row, or no good run for too long. Pure. */
export function evaluateJobConditions(jobs: readonly WatchedJob[], rules: AlertRules, now: Date): AlertCondition[] {
  const out: AlertCondition[] = [];
  for (const watched of jobs) {
    const override = rules.jobs[watched.job.name];
    if (!watched.enabled || override?.enabled === false) continue;
    if (rules.rules.jobFailing.enabled) {
      const found = failing(watched, override?.failedRuns ?? rules.rules.jobFailing.failedRuns);
      if (found) out.push(found);
    }
    if (rules.rules.jobSilent.enabled) {
      const found = silent(watched, parseDuration(override?.silentAfter ?? rules.rules.jobSilent.after), now);
      if (found) out.push(found);
    }
  }
  return out;
}
