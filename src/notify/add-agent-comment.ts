import { createHash, randomUUID } from 'node:crypto';
import { AppError, type Clock } from '../core/index.ts';
import type { JobConfig } from '../config/job-config.ts';
import type { Store } from '../store/index.ts';
import type { TicketComment, TicketStore } from '../tickets/index.ts';
import type { OutboxEntry } from './notification-types.ts';
import { queueAgentReply } from './queue-agent-reply.ts';

export interface AgentComment {
  ticketNumber: number;
  body: string;
  author: { address: string; name: string };
  /** Also mail it to the requester, as a reply in the thread of their mail. */
  sendToRequester: boolean;
  /** The caller's key for this comment (an Idempotency-Key header): the same key adds and sends it once. */
  idempotencyKey?: string;
}

export interface AgentCommentDeps {
  store: Store;
  clock: Clock;
  tickets: TicketStore;
  jobs: readonly JobConfig[];
}

/** The notifications job whose mailbox sends replies: the one reading the ticket's mailbox when there is one. */
function replySender(jobs: readonly JobConfig[], mailbox: string | undefined): string {
  const senders = jobs.flatMap((j) => (j.type === 'notifications' && j.enabled ? [j.mailbox.toLowerCase()] : []));
  const sender = senders.find((m) => m === mailbox?.toLowerCase()) ?? senders[0];
  if (!sender) throw new AppError('API_CONFLICT', 'no enabled notifications job sends mail, so the reply cannot go out', { hint: 'Add a job of type "notifications" to schedules/ (its mailbox sends replies), or add the comment without sending it.' });
  return sender;
}

/**
 * Adds a person's comment to a ticket and, when asked, queues it to the requester through the outbox (the
 * notifications job sends it). Keyed by the idempotency key when given, so a retried request neither adds nor
 * sends a second copy. Nothing is written when the ticket is missing or the reply cannot be sent.
 */
export async function addAgentComment(deps: AgentCommentDeps, input: AgentComment): Promise<{ comment: TicketComment; created: boolean; reply: OutboxEntry | null }> {
  const ticket = await deps.tickets.getTicket(input.ticketNumber);
  const sender = input.sendToRequester ? replySender(deps.jobs, ticket.source?.mailbox) : null;
  if (input.sendToRequester && !ticket.requester) throw new AppError('API_CONFLICT', `ticket #${ticket.number} has no requester to reply to`, { hint: 'Add the comment without sendToRequester.' });
  const key = input.idempotencyKey === undefined
    ? `agent:${randomUUID()}`
    : `agent:${createHash('sha256').update(`${input.author.address}\n${input.idempotencyKey}`).digest('hex').slice(0, 32)}`;
  const { comment, created } = await deps.tickets.addComment({ key, ticketNumber: ticket.number, author: input.author, body: input.body });
  const reply = sender ? (await queueAgentReply(deps.store, deps.clock, { ticket, comment, senderMailbox: sender })).entry : null;
  return { comment, created, reply };
}
