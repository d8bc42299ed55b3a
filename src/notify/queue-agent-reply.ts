import { AppError, type Clock } from '../core/index.ts';
import type { Store } from '../store/index.ts';
import { subjectWithToken, type Ticket, type TicketComment } from '../tickets/index.ts';
import { createOutbox } from './create-outbox.ts';
import type { OutboxEntry } from './notification-types.ts';
import { notificationMessageId } from './queue-notification.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function bracketed(id: string | null | undefined): string | null {
  const bare = id?.trim().replace(/^<|>$/g, '') ?? '';
  return bare === '' ? null : `<${bare}>`;
}

/**
 * Queues an agent's comment as a reply to the requester: an outbox entry keyed by the comment, so adding the same
 * comment again (a retried request) queues nothing new, and the notifications job sends it once (its Sent Items
 * check covers a crash mid-send). The mail answers the requester's original (In-Reply-To, References) and carries the
 * ticket token, so the requester's answer threads back into the ticket.
 */
export async function queueAgentReply(store: Store, clock: Clock, input: { ticket: Ticket; comment: TicketComment; senderMailbox: string }): Promise<{ entry: OutboxEntry; created: boolean }> {
  const { ticket, comment } = input;
  const to = ticket.requester?.address.toLowerCase();
  if (!to) throw new AppError('API_CONFLICT', `ticket #${ticket.number} has no requester to reply to`, { hint: 'Add the comment without sendToRequester.' });
  const key = `reply|${comment.key}`;
  const subject = subjectWithToken(ticket.subject.toLowerCase().startsWith('re:') ? ticket.subject : `Re: ${ticket.subject}`, ticket.number);
  return createOutbox(store, clock).queue({
    _id: key,
    eventId: `comment.added:${comment.key}`,
    rule: 'agent-reply',
    ticketNumber: ticket.number,
    to,
    toName: ticket.requester?.name ?? null,
    subject,
    text: comment.body,
    html: `<div style="white-space: pre-wrap">${escapeHtml(comment.body)}</div>`,
    internetMessageId: notificationMessageId(key, input.senderMailbox),
    inReplyTo: bracketed(ticket.source?.internetMessageId),
    status: 'pending',
    reason: null,
    maxAttempts: 5,
    notBefore: clock(),
  });
}
