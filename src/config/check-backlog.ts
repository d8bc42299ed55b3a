import { readBacklogSince } from './backlog-setting.ts';
import type { ConfigProblem } from './config-problem.ts';
import type { MailJobConfig } from './job-config.ts';

/** A mail job's `backlog` and `since`, checked beyond the schema: `since` must read, and means nothing with skip. */
export function checkBacklog(job: MailJobConfig, pointer: string): ConfigProblem[] {
  // Not a string: the schema says so (config validate reports the schema's problems with these).
  if (typeof job.since !== 'string') return [];
  if (job.backlog === 'skip') {
    return [{ file: job.file, pointer: `${pointer}/since`, message: 'since applies only with backlog "import" (with "skip" no mail from before the first run is processed); remove since, or set backlog to "import"' }];
  }
  const since = readBacklogSince(job.since);
  return 'error' in since ? [{ file: job.file, pointer: `${pointer}/since`, message: since.error }] : [];
}
