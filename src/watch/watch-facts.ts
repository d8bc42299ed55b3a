import type { AlertsJobConfig, JobConfig } from '../config/job-config.ts';
import type { JobRunSummary } from '../jobs/index.ts';
import type { SuppressedAddress } from '../notify/index.ts';
import type { PushState } from '../push/index.ts';
import type { CredentialExpiry } from './read-credential-expiry.ts';

/** Everything the conditions are computed from, read once per evaluation (gather-watch-facts.ts). */
export interface WatchFacts {
  now: Date;
  jobs: WatchedJob[];
  credentials: CredentialExpiry[];
  delegated: DelegatedConnectionFacts[];
  /** Mails quarantined within the quarantine rule's window, per mail job. */
  quarantined: { job: string; count: number }[];
  /** Every job's Graph subscription as the push upkeep keeps it. */
  push: PushState[];
  /** Addresses notifications are suppressed to after repeated hard bounces (src/notify); absent when not read. */
  suppressedRecipients?: SuppressedAddress[];
  /** Webhook targets with deliveries given up on (src/notify/webhooks); absent when not read. */
  failedWebhooks?: { target: string; failed: number; lastError: { code: string; message: string } | null; lastAttemptAt: Date }[];
}

export interface WatchedJob {
  job: JobConfig;
  /** After `mailroom jobs disable|enable`. */
  enabled: boolean;
  /** Its latest runs, newest first (a bounded number). */
  runs: JobRunSummary[];
}

export interface DelegatedConnectionFacts {
  connection: string;
  /** Whether a token cache (a sign-in) is stored for it, and when MSAL last wrote it (a refresh). */
  cacheUpdatedAt: Date | null;
  signedIn: boolean;
  /** The latest finished run of each job on this connection. */
  latestRuns: { job: string; status: string; error: { code: string; message: string } | null }[];
}

/** The rules the evaluation applies: the alerts job's, or the defaults when no alerts job is configured. */
export type AlertRules = Pick<AlertsJobConfig, 'rules' | 'jobs'>;
