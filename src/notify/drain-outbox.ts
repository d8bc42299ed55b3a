import { isAppError, toAppError, type AppError, type Clock } from '../core/index.ts';
import type { GraphClient } from '../graph/index.ts';
import type { JobRun } from '../jobs/index.ts';
import type { Logger } from '../log/index.ts';
import type { Store } from '../store/index.ts';
import type { Outbox } from './create-outbox.ts';
import type { OutboxEntry } from './notification-types.ts';
import { createSuppressionList, suppressedError } from './create-suppression-list.ts';
import { sendNotification, type DeliveryHooks } from './send-notification.ts';
import { createThreadIndex } from '../tickets/index.ts';

export type { DeliveryHooks } from './send-notification.ts';

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

/** Longer than one create + send can take with its own 429 retries, so a live claim is never taken over. */
const leaseMs = 10 * 60_000;
const maxRetryDelayMs = 3_600_000;

function retryDelay(attempts: number, baseMs: number, retryAfterMs: number | undefined): number {
  const backoff = Math.min(maxRetryDelayMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(backoff, retryAfterMs ?? 0);
}

/** A reply to what we send must thread into the ticket: the mail connector looks its In-Reply-To up here. */
async function rememberMessageId(context: DrainContext, entry: OutboxEntry): Promise<void> {
  // Alert mail (ticket number 0, src/watch) belongs to no ticket: a reply to it must not thread into one.
  if (entry.ticketNumber <= 0) return;
  await createThreadIndex(context.store).remember([{ ids: [entry.internetMessageId], ticketNumber: entry.ticketNumber }], 'notification', context.clock());
}

function recordSent(context: DrainContext, entry: OutboxEntry, note: string | undefined): void {
  context.run.count('sent');
  context.run.addItem({
    key: entry._id, outcome: 'sent', rule: entry.rule, target: `#${entry.ticketNumber}`, recipient: entry.to, subject: entry.subject,
    internetMessageId: entry.internetMessageId, attempts: entry.attempts, ...(note === undefined ? {} : { note }),
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
 * Sends what the outbox holds, one claimed entry at a time. Never twice: each entry goes out as a draft sent by id
 * (see sendNotification), so an entry whose earlier claim may have reached Graph (a timeout, a lost response, a crash
 * after the request) is finished with that same draft, which Graph sends at most once; a failed check postpones the
 * entry rather than risk a duplicate.
 */
export async function drainOutbox(context: DrainContext): Promise<void> {
  const suppressions = createSuppressionList(context.store, context.clock);
  for (let sent = 0; sent < context.limits.sendsPerRun; sent += 1) {
    if (context.signal.aborted) return;
    const entry = await context.outbox.claimNext(leaseMs, context.sender);
    if (!entry) return;
    // Queued before its address was suppressed (hard bounces): recorded as suppressed, never sent nor retried.
    const suppressed = await suppressions.find(entry.to);
    if (suppressed) {
      const error = suppressedError(suppressed);
      await context.outbox.markSuppressed(entry._id, 'bounced', error);
      context.run.count('suppressed');
      context.run.addItem({ key: entry._id, outcome: 'suppressed', reason: 'bounced', rule: entry.rule, target: `#${entry.ticketNumber}`, recipient: entry.to, subject: entry.subject, error });
      continue;
    }
    try {
      await rememberMessageId(context, entry);
      const outcome = await sendNotification({
        outbox: context.outbox, graphFor: context.graphFor, sender: context.sender, date: context.clock(), signal: context.signal,
        ...(context.hooks ? { hooks: context.hooks } : {}),
      }, entry);
      await context.outbox.markSent(entry._id);
      recordSent(context, entry, outcome.sent === 'before' ? outcome.note : undefined);
    } catch (error) {
      const appError = toAppError(error, 'NOTIFY_FAILED');
      if (isAppError(error, 'JOB_ABORTED') || appError.code.startsWith('STORE_')) {
        // Leave the claim to expire: the next run finishes the same draft, so an abort mid-request cannot double-send.
        throw error;
      }
      await handleFailure(context, entry, appError);
    }
  }
}
