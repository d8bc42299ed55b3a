import { backlogSetting, defaultBacklogSince } from '../config/backlog-setting.ts';
import type { JobConfig } from '../config/job-config.ts';
import { readMailBacklogs } from '../mail/connector/index.ts';

/** The database handle, as the connector's reader takes it (http/ reaches the store only through services). */
type Store = Parameters<typeof readMailBacklogs>[0];

/**
 * A mail job's backlog setting and its first connection, as `mailroom jobs list`, the API's job resource and the
 * console's job page show it (README, "First connection to a full mailbox").
 */
export interface JobBacklogDescription {
  backlog: 'import' | 'skip';
  /** The `since` as configured (or its default); null with `skip`, which takes no `since`. */
  since: string | null;
  /**
   * `not-connected`: the job has not read its folder yet; `connected`: it did, at `firstConnectedAt`;
   * `before-backlog`: it ran before the setting existed, so nothing of its folder is backlog.
   */
  state: 'not-connected' | 'connected' | 'before-backlog';
  firstConnectedAt: Date | null;
  /** Mail received before this is left in the mailbox (known once connected, or from a fixed `since` date); null: none. */
  skipsBefore: Date | null;
}

/** The backlog of every mail job of `jobs` by name; other job types have none. */
export async function describeJobBacklogs(store: Store, jobs: readonly JobConfig[]): Promise<Map<string, JobBacklogDescription>> {
  const out = new Map<string, JobBacklogDescription>();
  const mailJobs = jobs.filter((job) => job.type === 'mail');
  const reads = await readMailBacklogs(store, mailJobs);
  for (const job of mailJobs) {
    const setting = backlogSetting(job);
    const since = setting.mode === 'skip' ? null : setting.sinceText;
    const read = reads.get(job.name);
    if (!read) {
      // Before the first connection only a fixed date says where the cut will be.
      const fixed = setting.mode === 'import' && setting.since.kind === 'date' ? setting.since.at : null;
      out.set(job.name, { backlog: setting.mode, since, state: 'not-connected', firstConnectedAt: null, skipsBefore: fixed });
      continue;
    }
    out.set(job.name, { backlog: setting.mode, since, state: read.firstRunAt ? 'connected' : 'before-backlog', firstConnectedAt: read.firstRunAt, skipsBefore: read.cutoff });
  }
  return out;
}

/** One line for people: `import since 7 days; connected 2026-12-01 08:00:00 (older mail left in the mailbox)`. */
export function backlogText(b: JobBacklogDescription, when: (d: Date) => string): string {
  const setting = b.backlog === 'skip' ? 'skip' : `import since ${b.since ?? defaultBacklogSince}`;
  const state = b.state === 'not-connected' ? `not connected yet${b.skipsBefore ? `, mail before ${when(b.skipsBefore)} will be left in the mailbox` : ''}`
    : b.state === 'before-backlog' ? `ran before backlog existed (none)${b.skipsBefore ? `, mail before ${when(b.skipsBefore)} left alone` : ''}`
      : `connected ${when(b.firstConnectedAt!)}${b.skipsBefore ? `, mail before ${when(b.skipsBefore)} left in the mailbox` : ''}`;
  return `${setting}; ${state}`;
}
