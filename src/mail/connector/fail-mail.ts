import { AppError, isAppError, toAppError } from '../../core/index.ts';
import { messageValueRequest } from '../../graph/index.ts';
import { putFiles } from '../../store/index.ts';
import { planPostActions } from '../actions/index.ts';
import { ContentDigest } from './content-digest.ts';
import type { LedgerMark } from './message-ledger.ts';
import { storeMimeStream } from './stored-mime.ts';
import { graphIdle, identityOf, recordOutcome, type MailFailure, type MailRun, type WorkItem } from './mail-run.ts';

export interface FailOptions {
  /** The raw MIME when the run has it (or its file, for a large mail stored as it came): kept on quarantine, so a replay can use it. */
  raw?: Uint8Array | { fileId: string };
  /** The database writes are done; only the post-actions failed (the entry stays `applied`). */
  keepApplied?: LedgerMark['entry'];
  /** False for a passing fault (throttling, an outage): the mail is retried without counting an attempt. */
  countAttempt?: boolean;
}

/** Counts a failed attempt of one mail; quarantines it after `maxAttempts`. Records its one outcome either way. */
export async function failMail(run: MailRun, work: WorkItem, failure: MailFailure, options: FailOptions = {}): Promise<void> {
  const { ledger, clock, job } = run;
  const error = { code: failure.error.code, message: failure.error.message };
  if (options.countAttempt === false) {
    await ledger.markFinished(options.keepApplied ? [{ key: work.key, status: 'applied', entry: options.keepApplied }] : [], clock());
    recordOutcome(run, work, { outcome: 'failed', error, attempts: work.entry?.attempts ?? 0 });
    return;
  }
  const attempts = await ledger.recordFailure(identityOf(run, work), error, clock(), options.keepApplied ? { keepApplied: options.keepApplied } : {});
  if (attempts >= job.limits.maxAttempts) {
    await quarantineMail(run, work, failure, attempts, options.raw);
    return;
  }
  recordOutcome(run, work, { outcome: 'failed', error, attempts });
}

/**
 * The raw MIME's file for the quarantine: stored from what the run holds, or streamed from Graph once more into the
 * file store (never held whole; best effort: the mail may be gone). Null when nothing new was stored.
 */
async function rawFileFor(run: MailRun, work: WorkItem, raw: Uint8Array | { fileId: string } | undefined): Promise<string | null> {
  if (raw && !(raw instanceof Uint8Array)) return raw.fileId;
  const filename = `${work.item.id}.eml`;
  if (raw) {
    const [id] = await putFiles(run.store, [{ bytes: raw, meta: { filename, contentType: 'message/rfc822', kind: 'mime' }, checksum: new ContentDigest().update(raw).finish().rawKey }]);
    return id ?? null;
  }
  if (work.entry?.rawMimeFileId) return null;
  try {
    await graphIdle(run);
    const body = await run.graph.getStream(messageValueRequest({ mailbox: run.job.mailbox, messageId: work.item.id }).url, { signal: run.ctx.signal });
    return (await storeMimeStream(run.store, body, filename)).fileId;
  } catch (error) {
    if (isAppError(error, 'JOB_ABORTED') || toAppError(error).code.startsWith('STORE_')) throw error;
    return null;
  }
}

/**
 * Moves a mail to the failed folder, keeps its raw MIME and marks it quarantined: no run touches it again until
 * someone replays it (`mailroom quarantine replay`). A failed folder that cannot be used is said in the line; the
 * mail is quarantined anyway, so it never loops.
 */
export async function quarantineMail(run: MailRun, work: WorkItem, failure: MailFailure, attempts: number, raw?: Uint8Array | { fileId: string }): Promise<void> {
  const { job, graph, ctx } = run;
  const warnings: string[] = [];
  if (job.postActions.moveFailedTo) {
    try {
      await graphIdle(run);
      const target = await run.folderId(job.postActions.moveFailedTo);
      const [move] = await graph.batch(planPostActions(job.mailbox, work.item.id, {}, target, 'q'), { signal: ctx.signal });
      if (move?.error && move.error.code !== 'GRAPH_NOT_FOUND') throw move.error;
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'JOB_ABORTED' || appError.code.startsWith('STORE_')) throw appError;
      warnings.push(`not moved to the failed folder "${job.postActions.moveFailedTo}": ${appError.message}`);
    }
  }
  const rawMimeFileId = await rawFileFor(run, work, raw);
  const error = { code: failure.error.code, message: failure.error.message };
  await run.ledger.markQuarantined(work.key, run.clock(), rawMimeFileId, error);
  recordOutcome(run, work, { outcome: 'quarantined', error, attempts, ...(warnings.length > 0 ? { warnings } : {}) });
  ctx.logger.warn(`quarantined "${identityOf(run, work).subject}" ${attempts > 0 ? `after ${attempts} failed attempts` : 'at once'}: ${failure.error.message}`, { key: work.key, code: failure.error.code });
}

export function interrupted(key: string): MailFailure {
  return {
    key, stage: 'interrupted',
    error: new AppError('MAIL_INTERRUPTED', 'a run stopped (killed, crashed or hung) while this mail was being processed', {
      hint: 'A mail that stops the process every time is quarantined after maxAttempts; replay it after a rule fix with `mailroom quarantine replay`.',
    }),
  };
}
