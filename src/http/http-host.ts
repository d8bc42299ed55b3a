import type { MailroomConfig } from '../config/load-config.ts';
import type { JobConfig } from '../config/job-config.ts';
import type { Clock } from '../core/index.ts';
import type { AccessStore } from '../auth/access/index.ts';
import type { JobProgress, JobResults, JobRunRecord } from '../jobs/index.ts';
import type { Logger } from '../log/index.ts';
import type { TicketStore } from '../tickets/index.ts';
import type { PushStore } from '../push/index.ts';

/**
 * What the HTTP server needs of the application; the composition root's `App` satisfies it. Routes reach the
 * database only through these services (and the service functions of tickets, jobs, notify, scheduler, auth).
 */
export interface HttpHost {
  readonly config: MailroomConfig;
  readonly store: AccessStore;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly tickets: TicketStore;
  readonly results: JobResults;
  findJob(name: string): JobConfig;
  runJobNow(name: string, options?: { signal?: AbortSignal; onProgress?: (progress: JobProgress) => void; worker?: string }): Promise<JobRunRecord>;
  /** Graph subscriptions of jobs that use push (the change-notification endpoint checks against them). */
  readonly push: PushStore;
  /** Brings a job's next run forward. */
  wakeJob(name: string): Promise<boolean>;
}
