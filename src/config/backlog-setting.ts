import { parseDuration } from '../core/index.ts';
import type { MailJobConfig } from './job-config.ts';

/** What a mail job does with the mail already in its folder when it first connects (README, "First connection"). */
export type BacklogMode = 'import' | 'skip';

/** `since` of a mail job, read: every mail, mail from a fixed time on, or mail of the last N before the first run. */
export type BacklogSince = { kind: 'all' } | { kind: 'date'; at: Date } | { kind: 'duration'; ms: number };

/** The default an administrator connecting a full mailbox expects: last week's mail becomes tickets (never acknowledged), older mail stays untouched. */
export const defaultBacklogMode: BacklogMode = 'import';
export const defaultBacklogSince = '7 days';

const datePattern = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Reads a `since` value, or says why it is not one. A date without a time is midnight UTC. */
export function readBacklogSince(text: string): BacklogSince | { error: string } {
  const value = text.trim();
  if (value.toLowerCase() === 'all') return { kind: 'all' };
  if (datePattern.test(value)) {
    const at = new Date(/T/.test(value) ? (/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`) : `${value}T00:00:00Z`);
    // Date rolls 2026-02-30 over into March; a date that does not read back as itself is no date.
    if (Number.isNaN(at.getTime()) || (!/T/.test(value) && at.toISOString().slice(0, 10) !== value)) return { error: `"${text}" is not a valid date` };
    return { kind: 'date', at };
  }
  try {
    return { kind: 'duration', ms: parseDuration(value) };
  } catch {
    return { error: `"${text}" is neither "all", a date (2026-11-01 or 2026-11-01T08:00:00Z) nor a duration such as "7 days" or "30d"` };
  }
}

export interface BacklogSetting {
  mode: BacklogMode;
  /** The `since` text as configured (or the default), for messages. */
  sinceText: string;
  since: BacklogSince;
}

/** The job's backlog setting with defaults; `since` was validated at load, a bad one here falls back to everything. */
export function backlogSetting(job: Pick<MailJobConfig, 'backlog' | 'since'>): BacklogSetting {
  const mode = job.backlog ?? defaultBacklogMode;
  if (mode === 'skip') return { mode, sinceText: 'the first run', since: { kind: 'all' } };
  const sinceText = job.since ?? defaultBacklogSince;
  const since = readBacklogSince(sinceText);
  return { mode, sinceText, since: 'error' in since ? { kind: 'all' } : since };
}

/**
 * Mail received before this time is backlog that is not imported (it stays in the mailbox untouched); null: none
 * is skipped. `firstRunAt` is when the job first read its folder: `skip` skips everything received before it, a
 * duration counts back from it, so the cut never moves as time passes.
 */
export function backlogCutoff(setting: BacklogSetting, firstRunAt: Date): Date | null {
  if (setting.mode === 'skip') return firstRunAt;
  if (setting.since.kind === 'all') return null;
  if (setting.since.kind === 'date') return setting.since.at;
  return new Date(firstRunAt.getTime() - setting.since.ms);
}
