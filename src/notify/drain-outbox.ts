import { AppError, isAppError, toAppError, type Clock } from '../core/index.ts';
import { escapeODataString, type GraphClient } from '../graph/index.ts';
import type { JobRun } from '../jobs/index.ts';
import type { Logger } from '../log/index.ts';
import type { Store } from '../store/index.ts';
import { buildMimeMessage } from './build-mime-message.ts';
import type { Outbox } from './create-outbox.ts';
import type { OutboxEntry } from './notification-types.ts';
import { createThreadIndex } from '../tickets/index.ts';

/** Points where a test can stop the process (SIGKILL) to prove a restart sends exactly once. */
export interface DeliveryHooks {
  beforeSend?(entry: OutboxEntry): void | Promise<void>;
  afterSend?(entry: OutboxEntry): void | Promise<void>;
}

export interface DrainContext {
  store: Store;
  outbox: Outbox;
  /** The Graph client of a connection, counting into the run. */
  graphFor(connection: string): GraphClient;
  sender: { connection: string; mailbox: string };
  clock: Clock;
  run: JobRun;
  signal: AbortSignal;
  logger: Logger;
  limits: { sendsPerRun: number; retryBaseDelayMs: number };
  hooks?: DeliveryHooks;
}

/** Longer than one sendMail call can take with its own 429 retries, so a live claim is never taken over. */
const leaseMs = 10 * 60_000;
const maxRetryDelayMs = 3_600_000;

function retryDelay(attempts: number, baseMs: number, retryAfterMs: number | undefined): number {
  const backoff = Math.min(maxRetryDelayMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(backoff, retryAfterMs ?? 0);
}

/** Whether an earlier claim of this entry may have handed the mail to Graph: then Sent Items has the last word. */
async function findInSentItems(context: DrainContext, entry: OutboxEntry): Promise<boolean> {
  const filter = encodeURIComponent(`internetMessageId eq '${escapeODataString(entry.internetMessageId)}'`);
  for (const via of entry.via) {
    const graph = context.graphFor(via.connection);
    let found: { value: { id: string }[] };
    try {
      found = await graph.get<{ value: { id: string }[] }>(
        `/users/${encodeURIComponent(via.mailbox)}/mailFolders/sentitems/messages?$filter=${filter}&$select=id&$top=1`,
        { signal: context.signal },
      );
    } catch (error) {
      const cause = toAppError(error, 'GRAPH_ERROR');
      if (cause.code === 'JOB_ABORTED') throw cause;
      throw new AppError(cause.code, `looking for ${entry.internetMessageId} in Sent Items of ${via.mailbox} before sending again: ${cause.message}`, {
        cause, retry: cause.retry, details: cause.details, ...(cause.retryAfterMs === undefined ? {} : { retryAfterMs: cause.retryAfterMs }),
        hint: 'A notification is sent again only after Sent Items shows it was not sent; the application needs Mail.ReadBasic.All, Mail.Read or Mail.ReadWrite on the sender mailbox for that check.',
      });
    }
    if (found.value.length > 0) return true;
  }
  return false;
}

/** A reply to what we send must thread into the ticket: the mail connector looks its In-Reply-To up here. */
async function rememberMessageId(context: DrainContext, entry: OutboxEntry): Promise<void> {
  await createThreadIndex(context.store).remember([{ ids: [entry.internetMessageId], ticketNumber: entry.ticketNumber }], 'notification', context.clock());
}

async function sendEntry(context: DrainContext, entry: OutboxEntry): Promise<void> {
  const mime = buildMimeMessage({
    from: context.sender.mailbox,
    to: { address: entry.to, name: entry.toName },
    subject: entry.subject,
    html: entry.html,
    text: entry.text,
    messageId: entry.internetMessageId,
    inReplyTo: entry.inReplyTo,
    date: context.clock(),
    headers: [
      // RFC 3834: tells auto-responders (and our own mail lane) not to answer.
      { name: 'Auto-Submitted', value: 'auto-generated' },
      // Exchange and Outlook: no out-of-office or other auto-replies to this.
      { name: 'X-Auto-Response-Suppress', value: 'All' },
      { name: 'X-Mailroom-Ticket', value: String(entry.ticketNumber) },
      { name: 'X-Mailroom-Notification', value: `${entry.rule}; ${entry.eventId}` },
    ],
  });
  // MIME mode: the body is the base64 MIME with Content-Type text/plain; a copy is saved to Sent Items.
  // https://learn.microsoft.com/en-us/graph/api/user-sendmail
  await context.graphFor(context.sender.connection).post(
    `/users/${encodeURIComponent(context.sender.mailbox)}/sendMail`,
    Buffer.from(mime, 'utf8').toString('base64'),
    { headers: { 'Content-Type': 'text/plain' }, signal: context.signal },
  );
}

function recordSent(context: DrainContext, entry: OutboxEntry, recovered: boolean): void {
  context.run.count('sent');
  context.run.addItem({
    key: entry._id, outcome: 'sent', rule: entry.rule, target: `#${entry.ticketNumber}`, recipient: entry.to, subject: entry.subject,
    internetMessageId: entry.internetMessageId, attempts: entry.attempts, ...(recovered ? { note: 'found in Sent Items; not sent again' } : {}),
  });
}

async function handleFailure(context: DrainContext, entry: OutboxEntry, error: AppError): Promise<void> {
  const summary = { code: error.code, message: error.message };
  if (error.retry !== 'permanent' && entry.attempts < entry.maxAttempts) {
    const notBefore = new Date(context.clock().getTime() + retryDelay(entry.attempts, context.limits.retryBaseDelayMs, error.retryAfterMs));
    await context.outbox.retryLater(entry._id, notBefore, summary);
    context.run.count('retrying');
    context.logger.info(`notification ${entry._id} will be retried`, { code: error.code, attempts: entry.attempts, notBefore: notBefore.toISOString() });
    return;
  }
  await context.outbox.markFailed(entry._id, summary);
  context.run.count('failed');
  context.run.addItem({ key: entry._id, outcome: 'failed', rule: entry.rule, target: `#${entry.ticketNumber}`, recipient: entry.to, subject: entry.subject, attempts: entry.attempts, error: summary });
  context.logger.warn(`notification ${entry._id} failed after ${entry.attempts} attempt(s): ${error.message}`, { code: error.code });
}

/**
 * Sends what the outbox holds, one claimed entry at a time. Never twice: an entry whose earlier claim may have
 * reached Graph (a timeout, a lost response, a crash after the request) is looked up in Sent Items by our own
 * Message-ID before it is sent again; a failed lookup postpones the entry rather than risk a duplicate.
 */
export async function drainOutbox(context: DrainContext): Promise<void> {
  for (let sent = 0; sent < context.limits.sendsPerRun; sent += 1) {
    if (context.signal.aborted) return;
    const entry = await context.outbox.claimNext(leaseMs, context.sender);
    if (!entry) return;
    try {
      if (entry.attempts > 1 && (await findInSentItems(context, entry))) {
        await rememberMessageId(context, entry);
        await context.outbox.markSent(entry._id);
        recordSent(context, entry, true);
        continue;
      }
      await rememberMessageId(context, entry);
      await context.hooks?.beforeSend?.(entry);
      await sendEntry(context, entry);
      await context.hooks?.afterSend?.(entry);
      await context.outbox.markSent(entry._id);
      recordSent(context, entry, false);
    } catch (error) {
      const appError = toAppError(error, 'NOTIFY_FAILED');
      if (isAppError(error, 'JOB_ABORTED') || appError.code.startsWith('STORE_')) {
        // Leave the claim to expire: the next run looks in Sent Items first, so an abort mid-request cannot double-send.
        throw error;
      }
      await handleFailure(context, entry, appError);
    }
  }
}

