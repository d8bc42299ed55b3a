import { AppError } from '../../core/index.ts';
import type { Message } from '../parse/index.ts';
import type { RuleDecision } from '../../rules/index.ts';
import { putFiles, type FileToStore, type Store } from '../../store/index.ts';
import type { AttachmentRef, MailSource, NewComment, NewObject, NewTicket, Person, TicketPriority, TicketStore } from '../../tickets/index.ts';
import { bareMessageId, pickThread, rememberThreads } from './known-messages.ts';

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
  /** The mail as it arrived; stored (once per content) before anything that points to it. */
  raw: { bytes: Uint8Array; filename: string };
  /** The preprocessed text. */
  text: string;
  decision: RuleDecision;
  /** Where the mail came from; the raw MIME's file id is filled in here. */
  source: Omit<MailSource, 'rawMimeFileId'>;
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

/** Where a comment goes: an existing ticket, or the one an earlier mail of the same batch creates. */
type Target = { number: number } | { createdBy: number };

type Plan =
  | { kind: 'none'; result: AppliedDecision }
  | { kind: 'failed'; error: AppError }
  | { kind: 'ticket'; input: NewTicket }
  | { kind: 'comment'; target: Target; input: Omit<NewComment, 'ticketNumber'> }
  | { kind: 'object'; input: NewObject };

/** Attachment refs for a mail, over-size ones listed as skipped; the files to store are pushed onto `files`. */
function attachmentRefs(message: Message, maxBytes: number, files: FileToStore[], slots: { ref: AttachmentRef; file: number }[]): AttachmentRef[] {
  return message.attachments.map((attachment) => {
    const ref: AttachmentRef = {
      fileId: null, filename: attachment.filename, contentType: attachment.contentType, size: attachment.size,
      contentId: attachment.contentId, inline: attachment.inline, checksum: attachment.checksum,
    };
    if (attachment.size > maxBytes) ref.skipped = `larger than the ${maxBytes}-byte limit`;
    else {
      slots.push({ ref, file: files.length });
      files.push({ bytes: attachment.content, meta: { filename: attachment.filename, contentType: attachment.contentType, kind: 'attachment' }, checksum: attachment.checksum });
    }
    return ref;
  });
}

/**
 * Carries out rule decisions for a batch of mail, in their order, with idempotent writes keyed by each mail's ledger
 * key: run it twice and the second run finds what the first wrote. A few round trips serve the whole batch: files,
 * tickets, comments, objects and the Message-IDs to thread replies by are each written at once.
 *
 * `known` holds the Message-IDs already linked to tickets (bare id → number) for the batch's references; the ids of
 * mail written here are added to it. A reply whose original is earlier in the same batch threads into the ticket
 * that original creates. An add-to-ticket whose ticket cannot be found becomes a new ticket, so no mail is lost to
 * a stale token. A per-mail failure (a thread pointing at a missing ticket) is returned as that mail's AppError.
 */
export async function applyDecisions(store: Store, tickets: TicketStore, inputs: readonly ApplyInput[], known: Map<string, number>): Promise<(AppliedDecision | AppError)[]> {
  const tokens = inputs.flatMap(({ decision }) => {
    if (decision.action !== 'add-to-ticket') return [];
    const token = typeof decision.fields.ticketNumber === 'number' ? decision.fields.ticketNumber : decision.threadHint.ticketNumber;
    const thread = pickThread(decision.threadHint.references, known);
    return [...(token === null ? [] : [token]), ...(thread === undefined ? [] : [thread])];
  });
  const existing = await tickets.findTickets(tokens);

  const files: FileToStore[] = [];
  const slots: { ref: AttachmentRef; file: number }[] = [];
  const rawFiles = inputs.map(({ raw }) => files.push({ bytes: raw.bytes, meta: { filename: raw.filename, contentType: 'message/rfc822', kind: 'mime' } }) - 1);
  // Threads started or continued in this batch: an id already known keeps its ticket, as in the store.
  const batchThreads = new Map<string, Target>();
  const lookup = { get: (id: string): Target | undefined => (known.has(id) ? { number: known.get(id)! } : batchThreads.get(id)), has: (id: string) => known.has(id) || batchThreads.has(id) };

  const plans = inputs.map((input, index): Plan => {
    const { decision, message, key } = input;
    const fields = decision.fields;
    if (decision.action === 'ignore') return { kind: 'none', result: { action: 'ignored', target: null, created: false } };
    if (decision.action === 'none') return { kind: 'none', result: { action: 'none', target: null, created: false } };
    const remember = (target: Target): void => {
      const own = message.ids.internetMessageId;
      if (own && !lookup.has(bareMessageId(own))) batchThreads.set(bareMessageId(own), target);
    };

    if (decision.action === 'add-to-ticket') {
      const tokenNumber = typeof fields.ticketNumber === 'number' ? fields.ticketNumber : decision.threadHint.ticketNumber;
      const target = tokenNumber !== null && existing.has(tokenNumber) ? { number: tokenNumber } : pickThread(decision.threadHint.references, lookup);
      if (target) {
        if ('number' in target && !existing.has(target.number)) return { kind: 'failed', error: new AppError('TICKET_NOT_FOUND', `no ticket #${target.number}`, { hint: 'List tickets with `mailroom tickets list`.' }) };
        remember(target);
        return {
          kind: 'comment',
          target,
          input: {
            key,
            author: asPerson(fields.author) ?? message.from,
            body: asString(fields.comment, input.text),
            originalBody: { text: message.text, html: message.html },
            source: { ...input.source, rawMimeFileId: null },
            attachments: attachmentRefs(message, input.attachmentMaxBytes, files, slots),
          },
        };
      }
    }

    if (decision.action === 'create-object') {
      const type = decision.objectType ?? 'object';
      return {
        kind: 'object',
        input: {
          key,
          type,
          title: asString(fields.title, message.subject || '(no subject)'),
          fields: extraFields(fields, new Set(['title'])),
          source: { ...input.source, rawMimeFileId: null },
          attachments: attachmentRefs(message, input.attachmentMaxBytes, files, slots),
        },
      };
    }

    // create-ticket, or add-to-ticket with nothing to add to.
    const priority = asPriority(fields.priority);
    remember({ createdBy: index });
    return {
      kind: 'ticket',
      input: {
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
        source: { ...input.source, rawMimeFileId: null },
        attachments: attachmentRefs(message, input.attachmentMaxBytes, files, slots),
      },
    };
  });

  // Files first (raw MIME of every mail, then attachments), so whatever points to a file finds it.
  const fileIds = await putFiles(store, files);
  for (const { ref, file } of slots) ref.fileId = fileIds[file]!;
  plans.forEach((plan, i) => {
    if (plan.kind === 'ticket' || plan.kind === 'comment' || plan.kind === 'object') plan.input.source = { ...plan.input.source!, rawMimeFileId: fileIds[rawFiles[i]!]! };
  });

  const ticketPlans = plans.flatMap((plan, i) => (plan.kind === 'ticket' ? [{ i, plan }] : []));
  const createdTickets = await tickets.createTickets(ticketPlans.map(({ plan }) => plan.input));
  const numberOf = new Map(ticketPlans.map(({ i }, n) => [i, createdTickets[n]!.ticket.number]));
  const resolve = (target: Target): number => ('number' in target ? target.number : numberOf.get(target.createdBy)!);

  const commentPlans = plans.flatMap((plan, i) => (plan.kind === 'comment' ? [{ i, plan }] : []));
  const comments = await tickets.addComments(commentPlans.map(({ plan }) => ({ ...plan.input, ticketNumber: resolve(plan.target) })));
  const objectPlans = plans.flatMap((plan, i) => (plan.kind === 'object' ? [{ i, plan }] : []));
  const objects = await tickets.createObjects(objectPlans.map(({ plan }) => plan.input));

  const results: (AppliedDecision | AppError)[] = plans.map((plan) => (plan.kind === 'none' ? plan.result : plan.kind === 'failed' ? plan.error : { action: 'none', target: null, created: false }));
  ticketPlans.forEach(({ i }, n) => (results[i] = { action: 'created-ticket', target: `#${numberOf.get(i)!}`, created: createdTickets[n]!.created }));
  commentPlans.forEach(({ i, plan }, n) => (results[i] = { action: 'added-comment', target: `#${resolve(plan.target)}`, created: comments[n]!.created }));
  objectPlans.forEach(({ i, plan }, n) => (results[i] = { action: 'created-object', target: `${plan.input.type}:${plan.input.key}`, created: objects[n]!.created }));

  // Last: a crash before this write leaves the ids unknown, and the rerun (which redoes the batch) writes them.
  const threads = [...ticketPlans.map(({ i }) => ({ i, number: numberOf.get(i)! })), ...commentPlans.map(({ i, plan }) => ({ i, number: resolve(plan.target) }))]
    .sort((a, b) => a.i - b.i)
    .map(({ i, number }) => ({ ids: [inputs[i]!.message.ids.internetMessageId], ticketNumber: number }));
  await rememberThreads(store, threads);
  for (const { ids, ticketNumber } of threads) for (const id of ids) if (id && !known.has(bareMessageId(id))) known.set(bareMessageId(id), ticketNumber);
  return results;
}
