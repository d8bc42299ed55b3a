import { defaultLimits, notificationMessageId, type Outbox } from '../notify/index.ts';
import type { AlertRecord, PendingAlertMail } from './alert-types.ts';

const hourMs = 3_600_000;

export interface AlertMailTarget {
  outbox: Outbox;
  recipients: readonly string[];
  /** Names our Message-IDs' domain: the mailbox the notifications job sends from. */
  senderMailbox: string;
  maxMailsPerHour: number;
  /** Mailboxes a mail job reads, and the sender: alert mail to them would come back as a ticket, so it is suppressed. */
  ownMailboxes: ReadonlySet<string>;
  now: Date;
}

/** Outbox `ticketNumber` of alert mail, which belongs to no ticket. */
export const alertTicketNumber = 0;

function outboxKey(eventId: string, rule: string, to: string): string {
  return `${eventId}|${rule}|${to}`;
}

/**
 * Puts one alert mail per recipient into the notifications outbox under a deterministic key (event + rule +
 * recipient, as every notification), so queuing it again after a crash is a no-op; the notifications job sends it
 * with its loop-safe headers and its never-twice delivery. Later mails of an episode answer its first one, so an
 * administrator's mail client threads fired, reminders and recovered together. A recipient who already had
 * `maxMailsPerHour` mails from us within the hour gets it recorded as suppressed (rate-limited), never sent; so does
 * one of our own mailboxes (own-mailbox), as with every notification.
 * Returns how many went in as pending.
 */
export async function queueAlertMail(target: AlertMailTarget, record: AlertRecord, mail: PendingAlertMail): Promise<number> {
  const rule = `alert.${record.type}`;
  let queued = 0;
  for (const to of target.recipients) {
    const key = outboxKey(mail.eventId, rule, to);
    const firstKey = outboxKey(`alert:${record._id}:${record.episode}:fired`, rule, to);
    const reason = target.ownMailboxes.has(to)
      ? 'own-mailbox'
      : (await target.outbox.countRecent(to, new Date(target.now.getTime() - hourMs))) >= target.maxMailsPerHour ? 'rate-limited' : null;
    const { entry, created } = await target.outbox.queue({
      _id: key,
      eventId: mail.eventId,
      rule,
      ticketNumber: alertTicketNumber,
      to,
      toName: null,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      internetMessageId: notificationMessageId(key, target.senderMailbox),
      inReplyTo: mail.kind === 'fired' ? null : notificationMessageId(firstKey, target.senderMailbox),
      status: reason === null ? 'pending' : 'suppressed',
      reason,
      maxAttempts: defaultLimits.maxAttempts,
      notBefore: target.now,
    });
    if (created && entry.status === 'pending') queued += 1;
  }
  return queued;
}
