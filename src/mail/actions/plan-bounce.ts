import type { DeliveryReportWrite, MailChange, MailSource, SentNotificationRef } from '../../tickets/index.ts';
import type { DeliveryRecipient, Message } from '../parse/index.ts';

/** An RFC 3463 status code in free text ("550 5.1.1 <x>: Recipient address rejected"), for bounces without a status part. */
const statusInText = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;

/**
 * The recipient line a report gives for the notification's address. Reports list every recipient of the returned
 * mail; ours have one, so the line naming it wins, else the first failed one (a forwarding address), else the first.
 * A bounce without a status part (qmail, some gateways) names no recipient: it counts as failed for the
 * notification's own address, with the status its text quotes, if any.
 */
function recipientFor(message: Message, sent: SentNotificationRef): DeliveryRecipient | null {
  const recipients = message.deliveryReport?.recipients ?? [];
  const named = recipients.find((r) => r.address === sent.to) ?? recipients.find((r) => r.action === 'failed') ?? recipients[0];
  if (named) return named;
  const status = statusInText.exec(message.text ?? '')?.[0] ?? null;
  return { address: sent.to, action: 'failed', status, diagnostic: null, permanent: status?.startsWith('5') ?? false };
}

function noteBody(report: DeliveryReportWrite, sent: SentNotificationRef): string {
  const why = [report.status, report.diagnostic].filter((part) => part !== null && part !== '').join(' ');
  return [
    `Notification not delivered: "${sent.subject}" (rule ${sent.rule}) to ${report.recipient}${why ? `: ${why}` : ''}.`,
    `Reported by ${report.reporter ?? 'the receiving server'}${report.reportedAt ? ` on ${report.reportedAt.toISOString()}` : ''}.`,
    report.permanent
      ? 'A hard bounce: after repeated hard bounces Mailroom stops mailing this address until someone lifts it (`mailroom notifications list`, `mailroom notifications unsuppress`).'
      : 'Not a hard bounce: it does not count towards suppressing the address.',
  ].join('\n');
}

/**
 * A delivery report for one of our notifications → the record for its outbox entry and, for a failure on a ticket's
 * notification, an internal note on that ticket. Pure. Null when the report is not about a failure or a delay
 * (a `delivered`/`relayed` notice): such mail follows the rules.
 */
export function planBounce(key: string, message: Message, source: Omit<MailSource, 'rawMimeFileId'>, sent: SentNotificationRef): MailChange | null {
  const recipient = recipientFor(message, sent);
  if (recipient === null || (recipient.action !== 'failed' && recipient.action !== 'delayed')) return null;
  const date = message.date === null ? null : new Date(message.date);
  const report: DeliveryReportWrite = {
    reportKey: key, notificationId: sent.id, to: sent.to, action: recipient.action, status: recipient.status, recipient: recipient.address || sent.to,
    diagnostic: recipient.diagnostic, permanent: recipient.permanent, reporter: message.from?.address || null,
    reportedAt: date === null || Number.isNaN(date.getTime()) ? null : date,
  };
  const note = report.action === 'failed' && sent.ticketNumber > 0
    ? { key: `bounce:${key}`, ticketNumber: sent.ticketNumber, author: message.from, body: noteBody(report, sent), source: { ...source, rawMimeFileId: null }, internal: true }
    : null;
  return { kind: 'bounce', report, note };
}
