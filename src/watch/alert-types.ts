/** What the alerts job watches and what it stores about it. */

export type AlertSeverity = 'warning' | 'critical';

export type AlertType = 'job-failing' | 'job-silent' | 'credential-expiry' | 'delegated-sign-in' | 'push-subscription' | 'quarantine-growing' | 'recipient-suppressed'
  | 'webhook-failing';

/** A condition that holds now, as one evaluation found it. Pure data: evaluations return these, nothing else. */
export interface AlertCondition {
  /** Stable identity across evaluations: `<type>:<subject>`, e.g. `job-failing:support-inbox`. */
  key: string;
  type: AlertType;
  severity: AlertSeverity;
  /** What it is about: a job, a connection, a subscription id. */
  subject: string;
  /** One line a person reads in the mail subject, the log and the console banner. */
  summary: string;
  /** What to do about it. */
  hint: string;
  details: Record<string, unknown>;
}

/** An alert mail waiting to be queued: written with the transition, queued after, so a crash between loses none. */
export interface PendingAlertMail {
  /** `alert:<key>:<episode>:<kind>`; with the rule and recipient it is the outbox key, so a re-queue is a no-op. */
  eventId: string;
  kind: AlertMailKind;
  subject: string;
  text: string;
  html: string;
}

export type AlertMailKind = 'fired' | 'escalated' | 'reminder' | 'recovered';

/** One condition's stored state (collection `alerts`, `_id` = the condition key). */
export interface AlertRecord {
  _id: string;
  type: AlertType;
  subject: string;
  severity: AlertSeverity;
  summary: string;
  hint: string;
  details: Record<string, unknown>;
  status: 'active' | 'resolved';
  /** Counts the times the condition started; part of every mail's key. */
  episode: number;
  /** When this episode started. */
  since: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  /** The highest severity mailed in this episode; null while nothing went out for it (quiet, no recipients, cap). */
  mailedSeverity: AlertSeverity | null;
  /** When a mail about this condition last went out to be queued (any episode): what keeps a flapping job quiet. */
  lastMailedAt: Date | null;
  reminders: number;
  /** Mails decided with the last transition and not yet confirmed in the outbox. */
  pending: PendingAlertMail[];
  updatedAt: Date;
}
