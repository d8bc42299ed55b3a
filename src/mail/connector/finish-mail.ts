import { AppError, toAppError } from '../../core/index.ts';
import type { BatchRequest } from '../../graph/index.ts';
import type { PostActions } from '../../rules/index.ts';
import { planPostActions } from '../actions/index.ts';
import { isPermanentPostActionFailure } from './classify-failure.ts';
import { failMail } from './fail-mail.ts';
import { graphIdle, recordOutcome, type MailFailure, type MailRun, type OutcomeLine, type WorkItem } from './mail-run.ts';
import type { LedgerMark } from './message-ledger.ts';

/** A mail whose database writes are done, waiting for its post-actions. */
export interface Finishing {
  work: WorkItem;
  postActions: PostActions;
  /** What the ledger records; absent for mail from an earlier run (it is in the ledger as applied already). */
  mark?: LedgerMark['entry'];
  /** The mail's line once it is finished. */
  line: OutcomeLine;
  raw?: Uint8Array | { fileId: string };
}

function postActionError(folder: string | null, error: AppError): AppError {
  const where = folder ? `moving the mail to "${folder}"` : 'updating the mail (read, flag, categories)';
  return new AppError(error.code === 'GRAPH_FOLDER_NOT_FOUND' ? 'MAIL_POST_ACTION_FAILED' : error.code, `${where} failed: ${error.message}`, {
    cause: error, details: { ...error.details, ...(folder ? { folder } : {}) },
    hint: folder ? `Check the folder "${folder}" in the job's postActions or the rule's moveTo; \`mailroom connection test\` checks every post-action folder.` : error.hint ?? '',
  });
}

/**
 * Post-actions for a chunk in one batch, then one ledger write: `done` for each mail whose post-actions went
 * through. A post-action that cannot succeed (a folder that is missing or renamed, a PATCH Graph refuses) fails that
 * mail alone, naming the folder: it is retried and quarantined like any failing mail, and the rest goes on. Throttling
 * or an outage leaves the mail `applied` for the next run without counting an attempt. A message deleted meanwhile
 * needs no post-actions.
 */
export async function finishMail(run: MailRun, entries: readonly Finishing[]): Promise<void> {
  const { job, graph, ctx, ledger, clock } = run;
  const requests: BatchRequest[] = [];
  const owners: { index: number; folder: string | null }[] = [];
  const failures = new Map<number, { error: AppError; permanent: boolean }>();
  await graphIdle(run);
  for (const [index, entry] of entries.entries()) {
    if (entry.work.entry?.replayFromRaw) continue;
    const folder = entry.postActions.moveTo ?? null;
    let target: string | null = null;
    if (folder) {
      try {
        target = await run.folderId(folder);
      } catch (error) {
        const appError = toAppError(error);
        if (appError.code !== 'GRAPH_FOLDER_NOT_FOUND') throw appError;
        failures.set(index, { error: postActionError(folder, appError), permanent: true });
        continue;
      }
    }
    for (const request of planPostActions(job.mailbox, entry.work.item.id, entry.postActions, target, `m${index}`, entry.work.item.categories ?? [])) {
      requests.push(request);
      owners.push({ index, folder: request.method === 'POST' ? folder : null });
    }
  }
  if (requests.length > 0) {
    let responses;
    try {
      responses = await graph.batch(requests, { signal: ctx.signal });
    } catch (error) {
      // The run stops here; the writes are done, so the next run redoes only the post-actions.
      await ledger.markFinished(entries.flatMap(({ work, mark }) => (mark ? [{ key: work.key, status: 'applied' as const, entry: mark }] : [])), clock());
      throw error;
    }
    responses.forEach((response, i) => {
      const owner = owners[i]!;
      if (!response.error || response.error.code === 'GRAPH_NOT_FOUND' || failures.has(owner.index)) return;
      // A move that failed only because its PATCH failed (424) reports the PATCH's error.
      if (response.status === 424) return;
      failures.set(owner.index, { error: postActionError(owner.folder, response.error), permanent: isPermanentPostActionFailure(response.error) });
    });
  }
  const marks = entries.flatMap(({ work, mark }, index): LedgerMark[] => (failures.has(index) ? [] : [{ key: work.key, status: 'done', ...(mark ? { entry: mark } : {}) }]));
  await ledger.markFinished(marks, clock());
  for (const [index, entry] of entries.entries()) {
    const failed = failures.get(index);
    if (!failed) {
      recordOutcome(run, entry.work, entry.line);
      continue;
    }
    ctx.logger.warn(`post-action failed: ${failed.error.message}`, { key: entry.work.key, code: failed.error.code });
    const failure: MailFailure = { key: entry.work.key, error: failed.error, stage: 'post-action' };
    const keepApplied = entry.mark ?? markOf(entry);
    await failMail(run, entry.work, failure, { ...(keepApplied ? { keepApplied } : {}), countAttempt: failed.permanent, ...(entry.raw ? { raw: entry.raw } : {}) });
  }
}

/** The ledger fields of a mail an earlier run applied, to keep it `applied` when its post-actions fail again. */
function markOf(entry: Finishing): LedgerMark['entry'] | undefined {
  const e = entry.work.entry;
  if (!e?.outcome) return undefined;
  return { job: e.job, mailbox: e.mailbox, graphId: e.graphId, internetMessageId: e.internetMessageId, subject: e.subject, sender: e.sender ?? null, outcome: e.outcome, postActions: e.postActions ?? entry.postActions };
}
