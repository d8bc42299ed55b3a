import { createHash } from 'node:crypto';
import { parseDuration } from '../core/index.ts';

/** How far apart the first runs of jobs due together are spread, per job (at most over one interval). */
export const spreadPerJobMs = 100;

/** The window a cron job's catch-up runs are spread over (cron has no single interval). */
const cronSpreadMs = 60_000;

/**
 * Where in its interval a job runs, as a fraction in [0, 1) taken from its name: the same in every process and after
 * every restart, like Jenkins' "H" in cron lines or systemd's FixedRandomDelay. 1,000 jobs on one schedule so run
 * spread over the interval instead of all at once.
 */
export function jobPhase(name: string): number {
  return createHash('sha256').update(name).digest().readUInt32BE(0) / 2 ** 32;
}

/** The schedule's interval in ms; null for a cron expression, whose times Agenda computes from the expression. */
export function intervalOf(schedule: string): number | null {
  try {
    return parseDuration(schedule);
  } catch {
    return null;
  }
}

/**
 * A job's slots are its phase's share of the interval plus whole intervals, counted from the Unix epoch. After a run
 * that started at `after`, the next run is the first slot at least half an interval later: a late run or one woken
 * by a change notification does not move the job off its slots, and two runs are never crowded together.
 */
export function nextSlot(name: string, intervalMs: number, after: Date): Date {
  const phaseMs = Math.floor(jobPhase(name) * intervalMs);
  const k = Math.ceil((after.getTime() + intervalMs / 2 - phaseMs) / intervalMs);
  return new Date(phaseMs + k * intervalMs);
}

/**
 * The first run of a job that is due together with `count - 1` others (jobs new to the database, or left overdue
 * while no worker ran): its phase's share of a window of 0.1 s per job, at most one interval. One new job runs at
 * once; 1,000 one-minute jobs start spread over the minute. Its later runs follow its slots (nextSlot).
 */
export function spreadStart(name: string, intervalMs: number | null, now: Date, count: number): Date {
  const windowMs = Math.min(intervalMs ?? cronSpreadMs, Math.max(0, count) * spreadPerJobMs);
  return new Date(now.getTime() + Math.floor(jobPhase(name) * windowMs));
}
