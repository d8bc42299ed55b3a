import { AppError } from '../../core/index.ts';
import type { RuleDecision } from '../../rules/index.ts';
import { pickThread, type SentNotificationRef, type AttachmentRef, type ChangeSet, type MailChange, type MailSource, type PlannedChange, type ThreadSnapshot, type ThreadTarget, type Ticket } from '../../tickets/index.ts';
import type { Message } from '../parse/index.ts';
import { planBounce } from './plan-bounce.ts';
import { asDate, asPerson, asPriority, asString, extraFields } from './read-rule-fields.ts';

export interface PlanInput {
  /** The mail's ledger key: every write for it is keyed by it. */
  key: string;
  message: Message;
  text: string;
  decision: RuleDecision;
  /**
   * The mail as it arrived; stored once per content before anything that points to it (under `checksum` when the
   * caller has its key already). A large mail was stored as it streamed in: then only its file id.
   */
  raw: { bytes: Uint8Array; filename: string; checksum?: string } | { fileId: string };
  source: Omit<MailSource, 'rawMimeFileId'>;
  attachmentMaxBytes: number;
  /** Set when the whole mail is over the size limit: every attachment is listed as skipped for this reason. */
  skipAttachments?: string;
  /** For a delivery report: the notification of ours it reports on (looked up by the connector). It wins over the rules. */
  sentNotification?: SentNotificationRef;
}

const standardTicketFields = new Set(['requester', 'subject', 'description', 'priority', 'assignee', 'group', 'dueAt']);

/** The ticket numbers a chunk's decisions may touch (tokens and known threads): what `plan` needs loaded. */
export function ticketsToLoad(decisions: readonly RuleDecision[], threads: ThreadSnapshot): number[] {
  return decisions.flatMap((decision) => {
    if (decision.action !== 'add-to-ticket') return [];
    const token = typeof decision.fields.ticketNumber === 'number' ? decision.fields.ticketNumber : decision.threadHint.ticketNumber;
    const thread = pickThread(decision.threadHint.references, { has: (id) => threads.stored.has(id), get: (id) => threads.stored.get(id) });
    return [...(token === null ? [] : [token]), ...(thread === undefined ? [] : [thread])];
  });
}

/**
 * A chunk's decisions → its change set, in the chunk's order. Pure. A reply whose original is earlier in the chunk
 * threads into the ticket that original creates; an add-to-ticket whose ticket cannot be found becomes a new ticket,
 * so no mail is lost to a stale token; a thread pointing at a missing ticket is that mail's TICKET_NOT_FOUND.
 */
export function planChanges(inputs: readonly PlanInput[], existing: ReadonlyMap<number, Ticket>, stored: ThreadSnapshot): ChangeSet {
  const files: ChangeSet['files'] = [];
  let threads = stored;
  const changes = inputs.map((input, index): PlannedChange => {
    const messageId = input.message.ids.internetMessageId;
    const attachmentFiles: (number | null)[] = [];
    const refs = (): AttachmentRef[] => input.message.attachments.map((attachment) => {
      const ref: AttachmentRef = {
        fileId: null, filename: attachment.filename, contentType: attachment.contentType, size: attachment.size,
        contentId: attachment.contentId, inline: attachment.inline, checksum: attachment.checksum,
      };
      const reason = input.skipAttachments ?? (attachment.size > input.attachmentMaxBytes ? `larger than the ${input.attachmentMaxBytes}-byte limit` : undefined);
      if (reason || attachment.fileId === null) {
        ref.skipped = reason ?? `larger than the ${input.attachmentMaxBytes}-byte limit`;
        attachmentFiles.push(null);
      } else if (attachment.fileId !== undefined) {
        attachmentFiles.push(files.length);
        files.push({ fileId: attachment.fileId });
      } else {
        attachmentFiles.push(files.length);
        files.push({ bytes: attachment.content, meta: { filename: attachment.filename, contentType: attachment.contentType, kind: 'attachment' }, checksum: attachment.checksum });
      }
      return ref;
    });
    const change = planOne(input, existing, threads, refs);
    if (change.kind === 'ticket') threads = threads.with(messageId, { createdBy: index });
    if (change.kind === 'comment') threads = threads.with(messageId, change.target);
    const keepsRaw = change.kind === 'ticket' || change.kind === 'comment' || change.kind === 'object' || (change.kind === 'bounce' && change.note !== null);
    const { raw } = input;
    const rawFile = !keepsRaw ? null
      : files.push('fileId' in raw ? { fileId: raw.fileId } : { bytes: raw.bytes, meta: { filename: raw.filename, contentType: 'message/rfc822', kind: 'mime' }, ...(raw.checksum ? { checksum: raw.checksum } : {}) }) - 1;
    return { ...change, messageId, rawFile, attachmentFiles };
  });
  return { files, changes };
}

function planOne(input: PlanInput, existing: ReadonlyMap<number, Ticket>, threads: ThreadSnapshot, refs: () => AttachmentRef[]): MailChange {
  const { decision, message, key } = input;
  const fields = decision.fields;
  const source = { ...input.source, rawMimeFileId: null };
  const bounce = input.sentNotification ? planBounce(key, message, input.source, input.sentNotification) : null;
  if (bounce) return bounce;
  if (decision.action === 'ignore') return { kind: 'none', action: 'ignored' };
  // The connector quarantines such mail before planning; a plan that still gets one changes nothing.
  if (decision.action === 'quarantine') return { kind: 'none', action: 'none' };
  if (decision.action === 'none') return { kind: 'none', action: 'none' };

  if (decision.action === 'add-to-ticket') {
    const tokenNumber = typeof fields.ticketNumber === 'number' ? fields.ticketNumber : decision.threadHint.ticketNumber;
    const target: ThreadTarget | undefined = tokenNumber !== null && existing.has(tokenNumber) ? { number: tokenNumber } : pickThread(decision.threadHint.references, threads);
    if (target) {
      if ('number' in target && !existing.has(target.number)) return { kind: 'failed', error: new AppError('TICKET_NOT_FOUND', `no ticket #${target.number}`, { hint: 'List tickets with `mailroom tickets list`.' }) };
      return {
        kind: 'comment', target,
        input: { key, author: asPerson(fields.author) ?? message.from, body: asString(fields.comment, input.text), originalBody: { text: message.text, html: message.html }, source, attachments: refs() },
      };
    }
  }

  if (decision.action === 'create-object') {
    const type = decision.objectType ?? 'object';
    return { kind: 'object', input: { key, type, title: asString(fields.title, message.subject || '(no subject)'), fields: extraFields(fields, new Set(['title'])), source, attachments: refs() } };
  }

  // create-ticket, or add-to-ticket with nothing to add to.
  const priority = asPriority(fields.priority);
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
      source,
      attachments: refs(),
    },
  };
}
