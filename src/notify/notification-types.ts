/** Shapes of rules/notifications.json (validated by notifications.schema.json) and of the outbox. */

import type { DeliveryReportWrite } from '../tickets/index.ts';

export type NotificationTrigger = 'ticket.created' | 'comment.added' | 'ticket.assigned' | 'ticket.status-changed' | 'due-approaching';

/** One recipient source; a rule lists several and the union (deduplicated by address) is notified. */
export type RecipientSpec =
  | 'requester'
  | 'assignee'
  /** Members of the ticket's group, from `groups` in the file. */
  | 'group'
  | { address: string; name?: string }
  | { group: string }
  /** JSONata over { ticket, event, comment }: an address, a {address, name}, or a list of either. */
  | { expression: string };

export interface TemplateSpec {
  /** Liquid; the ticket token is appended when the rendered subject lacks it. */
  subject: string;
  /** Liquid; values are HTML-escaped unless piped through `| raw`. */
  html: string;
  /** Liquid; the plain-text alternative. */
  text: string;
}

export interface NotificationRuleSpec {
  name: string;
  description?: string;
  enabled?: boolean;
  trigger: NotificationTrigger;
  /** due-approaching only: how long before dueAt the reminder goes out, e.g. "4 hours". */
  leadTime?: string;
  /** JSONata over { ticket, event, comment }; the rule applies when it is truthy. */
  condition?: string;
  recipients: RecipientSpec[];
  /** A name from `templates`, or a template given in place. */
  template: string | TemplateSpec;
}

export interface NotificationsFile {
  $schema?: string;
  description?: string;
  /** Liquid over { ticket }, e.g. "https://helpdesk.contoso.example/tickets/{{ ticket.number }}"; `{{ link }}` in templates. */
  ticketUrlTemplate?: string | null;
  /** IANA time zone for the `date` filter (default "UTC"). */
  timeZone?: string;
  groups?: Record<string, string[]>;
  templates?: Record<string, TemplateSpec>;
  limits?: Partial<NotificationLimits>;
  rules: NotificationRuleSpec[];
}

export interface NotificationLimits {
  /** Notifications queued to one address per rolling hour; more are suppressed (default 20). */
  perRecipientPerHour: number;
  /** Send attempts before an entry is given up as failed (default 5). */
  maxAttempts: number;
  /** First retry delay; doubles per attempt, capped at one hour (default "1 minute"). */
  retryBaseDelay: string;
  /** Ticket events handled per run (default 500). */
  eventsPerRun: number;
  /** Mails sent per run (default 100; Exchange Online allows about 30 a minute per mailbox). */
  sendsPerRun: number;
  /** Hard bounces (5.x.x) of distinct notifications to one address after which it is suppressed (default 3). */
  hardBouncesToSuppress: number;
}

/** Where a notification's draft lives: the connection and mailbox it was created through, and its immutable id. */
export interface OutboxDraft {
  connection: string;
  mailbox: string;
  id: string;
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'bounced';

/**
 * `bounced`: the address is suppressed after repeated hard bounces (see SuppressedAddress). `backlog`: the event was
 * raised by mail a job imported as backlog on its first connection (never acknowledged).
 */
export type SuppressionReason = 'auto-generated' | 'own-mailbox' | 'rate-limited' | 'invalid-address' | 'author' | 'bounced' | 'backlog';

/**
 * One delivery report (DSN) received for a sent notification, as stored on its outbox entry: what the mail lane
 * wrote (tickets' DeliveryReportWrite) without the entry's own id and address, and always with a time.
 */
export type DeliveryReportRecord = Omit<DeliveryReportWrite, 'notificationId' | 'to' | 'reportedAt'> & { reportedAt: Date };

/**
 * An address Mailroom stopped mailing (collection notification_suppressions, `_id` = the lower-cased address): its
 * hard bounces since it was last lifted and, once they reach `hardBouncesToSuppress`, since when it is suppressed.
 */
export interface SuppressedAddress {
  _id: string;
  /** Outbox keys of the notifications that hard-bounced since the last lift (distinct: one notification counts once). */
  hardBounces: string[];
  lastBounce: { notificationId: string; status: string | null; diagnostic: string | null; at: Date } | null;
  /** Set when suppressed; null while it is only counting (or after a lift). */
  suppressedAt: Date | null;
  liftedAt: Date | null;
  updatedAt: Date;
}

/**
 * One notification to one recipient. `_id` is the idempotency key (event + rule + recipient), so queuing it again
 * after a crash is a no-op; `internetMessageId` is derived from it, so a resend could always be recognised.
 */
export interface OutboxEntry {
  _id: string;
  /** The ticket event id, or `due:<number>:<dueAt ISO>` for a reminder. */
  eventId: string;
  rule: string;
  ticketNumber: number;
  to: string;
  toName: string | null;
  subject: string;
  html: string;
  text: string;
  /** Ours, with angle brackets (as Graph reports it); derived from `_id`. */
  internetMessageId: string;
  /** The mail the notification answers (the requester's original), so mail clients thread it; with angle brackets. */
  inReplyTo: string | null;
  status: OutboxStatus;
  reason: SuppressionReason | null;
  /** Claims so far; a claim past the first looks in Sent Items before sending again. */
  attempts: number;
  maxAttempts: number;
  notBefore: Date;
  /** While `sending`: after this a crashed sender's claim may be taken over. */
  leaseUntil: Date | null;
  /** Every connection + mailbox a claim sent through: where Drafts (and, for older entries, Sent Items) are searched before a resend. */
  via: { connection: string; mailbox: string }[];
  /**
   * The draft this notification is sent as, once created (its immutable id). Sending a draft by id cannot mail twice:
   * a sent draft is no draft any more. Absent on entries queued before drafts were used, and until the create answered.
   */
  draft?: OutboxDraft | null;
  lastError: { code: string; message: string } | null;
  /** Delivery reports received for it, oldest first; absent when none came. */
  deliveryReports?: DeliveryReportRecord[];
  /** The failure report that made it `bounced` (the first one). */
  bounce?: DeliveryReportRecord | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}
