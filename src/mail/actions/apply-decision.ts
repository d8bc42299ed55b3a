import type { Message } from '../parse/index.ts';
import type { RuleDecision } from '../../rules/index.ts';
import { putFile, type Store } from '../../store/index.ts';
import type { AttachmentRef, MailSource, Person, TicketPriority, TicketStore } from '../../tickets/index.ts';
import { findThreadTicket, rememberMessageIds } from './known-messages.ts';

export interface AppliedDecision {
  action: 'created-ticket' | 'added-comment' | 'created-object' | 'ignored' | 'none';
  /** "#1042", or "purchase-order:<key>" */
  target: string | null;
  /** False when the write already existed (a rerun after a crash). */
  created: boolean;
}

export interface ApplyInput {
  key: string;
  message: Message;
  /** The preprocessed text. */
  text: string;
  decision: RuleDecision;
  source: MailSource;
  attachmentMaxBytes: number;
}

function asPerson(value: unknown): Person | null {
  if (value && typeof value === 'object' && typeof (value as Person).address === 'string') {
    const { address, name } = value as Partial<Person>;
    return { address: address!.toLowerCase(), name: typeof name === 'string' ? name : '' };
  }
  if (typeof value === 'string' && value.includes('@')) return { address: value.toLowerCase(), name: '' };
  return null;
}

function asPriority(value: unknown): TicketPriority | undefined {
  return value === 'low' || value === 'normal' || value === 'high' ? value : undefined;
}

function asString(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? fallback : JSON.stringify(value);
}

function asDate(value: unknown): Date | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const standardTicketFields = new Set(['requester', 'subject', 'description', 'priority', 'assignee', 'group', 'dueAt']);

function extraFields(fields: Record<string, unknown>, standard: ReadonlySet<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !standard.has(name)));
}

/** Raw MIME is stored by the caller; attachments here, each once per content, over-size ones listed as skipped. */
async function storeAttachments(store: Store, message: Message, maxBytes: number): Promise<AttachmentRef[]> {
  const refs: AttachmentRef[] = [];
  for (const attachment of message.attachments) {
    const ref: AttachmentRef = {
      fileId: null, filename: attachment.filename, contentType: attachment.contentType, size: attachment.size,
      contentId: attachment.contentId, inline: attachment.inline, checksum: attachment.checksum,
    };
    if (attachment.size > maxBytes) ref.skipped = `larger than the ${maxBytes}-byte limit`;
    else ref.fileId = await putFile(store, attachment.content, { filename: attachment.filename, contentType: attachment.contentType, kind: 'attachment' }, attachment.checksum);
    refs.push(ref);
  }
  return refs;
}

/**
 * Carries out one rule decision with idempotent writes keyed by the mail's ledger key: run it twice and the second
 * run finds what the first wrote. An add-to-ticket whose ticket cannot be found becomes a new ticket, so no mail is
 * lost to a stale token.
 */
export async function applyDecision(store: Store, tickets: TicketStore, input: ApplyInput): Promise<AppliedDecision> {
  const { decision, message, key, source } = input;
  const fields = decision.fields;
  const ownIds = [message.ids.internetMessageId];

  if (decision.action === 'ignore') return { action: 'ignored', target: null, created: false };
  if (decision.action === 'none') return { action: 'none', target: null, created: false };

  if (decision.action === 'add-to-ticket') {
    const tokenNumber = typeof fields.ticketNumber === 'number' ? fields.ticketNumber : decision.threadHint.ticketNumber;
    const byToken = tokenNumber === null ? null : await tickets.findTicket(tokenNumber);
    const number = byToken?.number ?? (await findThreadTicket(store, decision.threadHint.references));
    if (number !== null) {
      const attachments = await storeAttachments(store, message, input.attachmentMaxBytes);
      const { created } = await tickets.addComment({
        key,
        ticketNumber: number,
        author: asPerson(fields.author) ?? message.from,
        body: asString(fields.comment, input.text),
        originalBody: { text: message.text, html: message.html },
        source,
        attachments,
      });
      await rememberMessageIds(store, ownIds, number);
      return { action: 'added-comment', target: `#${number}`, created };
    }
  }

  const attachments = await storeAttachments(store, message, input.attachmentMaxBytes);
  if (decision.action === 'create-object') {
    const type = decision.objectType ?? 'object';
    const { created } = await tickets.createObject({
      key,
      type,
      title: asString(fields.title, message.subject || '(no subject)'),
      fields: extraFields(fields, new Set(['title'])),
      source,
      attachments,
    });
    return { action: 'created-object', target: `${type}:${key}`, created };
  }

  // create-ticket, or add-to-ticket with nothing to add to.
  const priority = asPriority(fields.priority);
  const { ticket, created } = await tickets.createTicket({
    createdFrom: key,
    requester: asPerson(fields.requester) ?? message.from,
    subject: asString(fields.subject, message.subject.trim() || '(no subject)'),
    description: asString(fields.description, input.text),
    originalBody: { text: message.text, html: message.html },
    ...(priority ? { priority } : {}),
    assignee: typeof fields.assignee === 'string' ? fields.assignee : null,
    group: typeof fields.group === 'string' ? fields.group : null,
    dueAt: asDate(fields.dueAt),
    fields: extraFields(fields, standardTicketFields),
    source,
    attachments,
  });
  await rememberMessageIds(store, ownIds, ticket.number);
  return { action: 'created-ticket', target: `#${ticket.number}`, created };
}
