import { AppError, toAppError } from '../core/index.ts';
import {
  createDraftRequest, findMessageRequest, getMessageStateRequest, sendDraftRequest, type GraphClient,
} from '../graph/index.ts';
import { buildMimeMessage } from './build-mime-message.ts';
import type { Outbox } from './create-outbox.ts';
import type { OutboxDraft, OutboxEntry } from './notification-types.ts';

/** Points where a test can stop the process (SIGKILL) to prove a restart sends exactly once; in send order. */
export interface DeliveryHooks {
  /** Claimed, nothing asked of Graph yet for this claim. */
  beforeSend?(entry: OutboxEntry): void | Promise<void>;
  /** Graph made the draft; the outbox does not know it yet. */
  afterDraftCreated?(entry: OutboxEntry): void | Promise<void>;
  /** The outbox knows the draft; it is not sent yet. */
  afterDraftRecorded?(entry: OutboxEntry): void | Promise<void>;
  /** Graph accepted the send; the outbox does not say `sent` yet. */
  afterSend?(entry: OutboxEntry): void | Promise<void>;
}

export interface SendContext {
  outbox: Outbox;
  graphFor(connection: string): GraphClient;
  sender: { connection: string; mailbox: string };
  date: Date;
  signal: AbortSignal;
  hooks?: DeliveryHooks;
}

export type SendOutcome = { sent: 'now' } | { sent: 'before'; note: string };

interface FoundMessage {
  id: string;
  isDraft?: boolean;
}

function mimeOf(entry: OutboxEntry, from: string, date: Date): string {
  return buildMimeMessage({
    from,
    to: { address: entry.to, name: entry.toName },
    subject: entry.subject,
    html: entry.html,
    text: entry.text,
    messageId: entry.internetMessageId,
    inReplyTo: entry.inReplyTo,
    date,
    headers: [
      // RFC 3834: tells auto-responders (and our own mail lane) not to answer.
      { name: 'Auto-Submitted', value: 'auto-generated' },
      // Exchange and Outlook: no out-of-office or other auto-replies to this.
      { name: 'X-Auto-Response-Suppress', value: 'All' },
      { name: 'X-Mailroom-Ticket', value: String(entry.ticketNumber) },
      { name: 'X-Mailroom-Notification', value: `${entry.rule}; ${entry.eventId}` },
    ],
  });
}

/** A lookup that decides whether to send must not fail silently: it postpones (or, when forbidden, fails) the entry. */
function lookupFailed(error: unknown, what: string): AppError {
  const cause = toAppError(error, 'GRAPH_ERROR');
  if (cause.code === 'JOB_ABORTED') return cause;
  return new AppError(cause.code, `${what} before sending again: ${cause.message}`, {
    cause, retry: cause.retry, details: cause.details, ...(cause.retryAfterMs === undefined ? {} : { retryAfterMs: cause.retryAfterMs }),
    hint: 'A notification is sent again only once Graph shows it was not sent; the application needs Mail.ReadWrite and Mail.Send on the sender mailbox.',
  });
}

/** Looks our Message-ID up in one folder of every mailbox an earlier claim went through. */
async function findByMessageId(context: SendContext, entry: OutboxEntry, folder: 'drafts' | 'sentitems'): Promise<OutboxDraft | undefined> {
  for (const via of entry.via) {
    const request = findMessageRequest({ mailbox: via.mailbox, internetMessageId: entry.internetMessageId, folder });
    let found: { value: FoundMessage[] };
    try {
      found = await context.graphFor(via.connection).get<{ value: FoundMessage[] }>(request.path, { headers: request.headers, signal: context.signal });
    } catch (error) {
      throw lookupFailed(error, `looking for ${entry.internetMessageId} in ${folder === 'drafts' ? 'Drafts' : 'Sent Items'} of ${via.mailbox}`);
    }
    const [hit] = found.value;
    if (hit !== undefined && (folder !== 'drafts' || hit.isDraft !== false)) return { connection: via.connection, mailbox: via.mailbox, id: hit.id };
  }
  return undefined;
}

async function createDraft(context: SendContext, entry: OutboxEntry): Promise<OutboxDraft> {
  const { connection, mailbox } = context.sender;
  const request = createDraftRequest({ mailbox, mime: mimeOf(entry, mailbox, context.date) });
  const created = await context.graphFor(connection).post<{ id?: string }>(request.path, request.body, { headers: request.headers, signal: context.signal });
  if (typeof created?.id !== 'string' || created.id === '') {
    throw new AppError('GRAPH_ERROR', `creating the draft of notification ${entry._id}: Graph answered without an id`, { retry: 'later' });
  }
  return { connection, mailbox, id: created.id };
}

/** After a refused send: is the draft gone or no draft any more (sent before), or still a draft (a passing fault)? */
async function wasSentBefore(context: SendContext, draft: OutboxDraft): Promise<boolean> {
  const request = getMessageStateRequest({ mailbox: draft.mailbox, id: draft.id });
  try {
    const state = await context.graphFor(draft.connection).get<FoundMessage>(request.path, { headers: request.headers, signal: context.signal });
    return state.isDraft === false;
  } catch (error) {
    const cause = toAppError(error, 'GRAPH_ERROR');
    // Sent and its Sent Items copy not there yet (it may take a while: https://learn.microsoft.com/en-us/graph/outlook-immutable-id).
    if (cause.code === 'GRAPH_NOT_FOUND') return true;
    throw lookupFailed(cause, `checking draft ${draft.id} of ${draft.mailbox}`);
  }
}

const refusedAsSent = (error: AppError): boolean =>
  error.code === 'GRAPH_NOT_FOUND' || (error.code === 'GRAPH_BAD_REQUEST' && String(error.details?.graphCode ?? '').toLowerCase() === 'errorinvalidoperation');

/**
 * Sends one claimed notification so that no crash, lost response or retry can mail it twice, without counting on
 * Sent Items (whose copy may appear late): the mail is made a draft under our own Message-ID, the draft's immutable id
 * is written to the outbox, and then that draft is sent by id. A draft that was sent is no draft any more, so
 * sending it again fails instead of mailing twice. A restart sends the recorded draft, or finds an unrecorded one in
 * Drafts by Message-ID, and only then makes a new one. Entries from before drafts (no `draft` field) are first
 * looked up in Sent Items, as the earlier version sent them with sendMail.
 */
export async function sendNotification(context: SendContext, entry: OutboxEntry): Promise<SendOutcome> {
  let draft = entry.draft ?? undefined;
  if (draft === undefined && entry.attempts > 1) {
    if (entry.draft === undefined && (await findByMessageId(context, entry, 'sentitems')) !== undefined) {
      return { sent: 'before', note: 'found in Sent Items; not sent again' };
    }
    draft = await findByMessageId(context, entry, 'drafts');
    if (draft !== undefined) await context.outbox.recordDraft(entry._id, draft);
  }
  await context.hooks?.beforeSend?.(entry);
  if (draft === undefined) {
    draft = await createDraft(context, entry);
    await context.hooks?.afterDraftCreated?.(entry);
    await context.outbox.recordDraft(entry._id, draft);
  }
  await context.hooks?.afterDraftRecorded?.(entry);
  const request = sendDraftRequest({ mailbox: draft.mailbox, draftId: draft.id });
  try {
    await context.graphFor(draft.connection).post(request.path, undefined, { headers: request.headers, idempotent: request.idempotent, signal: context.signal });
  } catch (error) {
    const cause = toAppError(error, 'GRAPH_ERROR');
    if (!refusedAsSent(cause) || !(await wasSentBefore(context, draft))) throw error;
    return { sent: 'before', note: 'its draft was sent already; not sent again' };
  }
  await context.hooks?.afterSend?.(entry);
  return { sent: 'now' };
}
