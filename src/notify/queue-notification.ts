import { createHash } from 'node:crypto';
import type { Clock } from '../core/index.ts';
import type { JobRun } from '../jobs/index.ts';
import type { Ticket } from '../tickets/index.ts';
import type { Outbox } from './create-outbox.ts';
import type { NotificationLimits } from './notification-types.ts';
import type { PlannedNotification } from './plan-notifications.ts';

const hourMs = 3_600_000;

export interface QueueTarget {
  outbox: Outbox;
  clock: Clock;
  limits: NotificationLimits;
  /** The sender mailbox: its domain names our Message-IDs. */
  senderMailbox: string;
  run: JobRun;
}

/** Our Message-ID for an outbox key: deterministic, so the same notification always has the same id. */
export function notificationMessageId(key: string, senderMailbox: string): string {
  const domain = senderMailbox.split('@')[1] ?? 'mailroom.invalid';
  return `<mailroom.${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}

function bracketed(id: string | null | undefined): string | null {
  if (!id) return null;
  const bare = id.trim().replace(/^<|>$/g, '');
  return bare === '' ? null : `<${bare}>`;
}

/**
 * Writes one planned notification to the outbox under its idempotency key (event + rule + recipient). A recipient
 * over the hourly limit is written as suppressed (rate-limited), so the decision is recorded and never revisited.
 */
export async function queueNotification(target: QueueTarget, eventId: string, ticket: Ticket, planned: PlannedNotification): Promise<void> {
  const key = `${eventId}|${planned.rule}|${planned.to}`;
  const now = target.clock();
  let reason = planned.suppressed;
  if (reason === null && (await target.outbox.countRecent(planned.to, new Date(now.getTime() - hourMs))) >= target.limits.perRecipientPerHour) {
    reason = 'rate-limited';
  }
  const { entry, created } = await target.outbox.queue({
    _id: key,
    eventId,
    rule: planned.rule,
    ticketNumber: ticket.number,
    to: planned.to,
    toName: planned.toName,
    subject: planned.message.subject,
    html: planned.message.html,
    text: planned.message.text,
    internetMessageId: notificationMessageId(key, target.senderMailbox),
    // Only the requester has the mail we answer; for anyone else a reference to it would thread nothing.
    inReplyTo: planned.to === ticket.requester?.address.toLowerCase() ? bracketed(ticket.source?.internetMessageId) : null,
    status: reason === null ? 'pending' : 'suppressed',
    reason,
    maxAttempts: target.limits.maxAttempts,
    notBefore: now,
  });
  if (!created) return;
  if (entry.status === 'suppressed') {
    target.run.count('suppressed');
    target.run.addItem({ key, outcome: 'suppressed', reason: entry.reason, rule: entry.rule, target: `#${ticket.number}`, recipient: entry.to, subject: entry.subject });
  } else {
    target.run.count('queued');
  }
}
