import { AppError, isAppError, type Clock } from '../../core/index.ts';
import type { MailJobConfig } from '../../config/job-config.ts';
import type { GraphClient } from '../../graph/index.ts';
import type { JobRunItem, JobRunRecord } from '../../jobs/index.ts';
import type { Store } from '../../store/index.ts';
import { planPostActions } from '../actions/index.ts';
import { storedIsStandIn } from './fetch-unconvertible.ts';
import { createFolderCache } from './folder-cache.ts';
import { createMessageLedger, type LedgerEntry } from './message-ledger.ts';

export interface ReplayDeps {
  store: Store;
  /** The Graph client of the job's connection. */
  graph: GraphClient;
  clock: Clock;
  /** Runs the mail job once (the same run the scheduler makes); the replayed mail is its first work. */
  runJob(name: string): Promise<JobRunRecord>;
}

export interface ReplayResult {
  /**
   * Where each mail was taken from: the mailbox (moved back), its stored raw MIME, or (`stand-in`) the stand-in kept
   * for a mail Graph could not convert to MIME: only its sender, subject and date are known (the run's line says so).
   */
  replayed: { key: string; subject: string; from: 'mailbox' | 'raw-mime' | 'stand-in' }[];
  /** The run that processed them, and the lines of the replayed mail in it. */
  run: JobRunRecord;
  items: JobRunItem[];
}

/** A replay already begun (and killed) leaves the entry failed with the mark: replaying it again finishes it. */
const isReplayable = (entry: LedgerEntry): boolean =>
  entry.status === 'quarantined' || (['failed', 'inflight', 'applied'].includes(entry.status) && (entry.replayRequestedAt ?? null) !== null);

/**
 * Replays quarantined mail of a mail job with the current rules, exactly once: each mail is moved back from the
 * failed folder to the job's folder (or, when it is gone from the mailbox, marked to be processed from its stored
 * raw MIME), its ledger entry becomes a failed one with no attempts, and the job runs once, taking it first. Every
 * write of that run is keyed by the mail, so a replay killed half-way is finished by the next run or replay and
 * still makes one ticket. `key` null: all quarantined mail of the job. MAIL_NOT_QUARANTINED for a key that is not.
 */
export async function replayQuarantined(deps: ReplayDeps, job: MailJobConfig, key: string | null): Promise<ReplayResult> {
  const ledger = createMessageLedger(deps.store);
  let entries: LedgerEntry[];
  if (key === null) {
    entries = [...await ledger.listQuarantined(job.name, job.limits.messagesPerRun), ...await ledger.listReplaying(job.name)];
  } else {
    const entry = (await ledger.getMany([key])).get(key) ?? (await ledger.findByGraphId(job.name, key));
    if (!entry || entry.job !== job.name || !isReplayable(entry)) {
      throw new AppError('MAIL_NOT_QUARANTINED', `no quarantined mail "${key}" in job ${job.name}`, {
        details: { job: job.name, key, status: entry?.status ?? null },
        hint: `List quarantined mail with \`mailroom quarantine list ${job.name}\`.`,
      });
    }
    entries = [entry];
  }
  const folderId = createFolderCache(deps.graph, job.mailbox);
  const replayed: ReplayResult['replayed'] = [];
  for (const entry of entries) {
    const from = await moveBack(deps.graph, job, entry, folderId);
    if (from === 'raw-mime' && !entry.rawMimeFileId) {
      throw new AppError('GRAPH_NOT_FOUND', `"${entry.subject}" is gone from mailbox ${job.mailbox} and its raw MIME was not kept; it cannot be replayed`, { details: { key: entry._id } });
    }
    await ledger.prepareReplay(entry._id, from === 'raw-mime', deps.clock());
    const standIn = from === 'raw-mime' && await storedIsStandIn(deps.store, entry.rawMimeFileId!);
    replayed.push({ key: entry._id, subject: entry.subject, from: standIn ? 'stand-in' : from });
  }
  const run = await deps.runJob(job.name);
  const keys = new Set(replayed.map((r) => r.key));
  return { replayed, run, items: run.items.filter((item) => keys.has(item.key)) };
}

/**
 * Back from the failed folder into the job's folder (by its immutable id, wherever a person moved it): the mailbox
 * is preferred, so a mail Graph could not convert is read from its properties again. Only a mail no longer in the
 * mailbox (Graph answers 404) is replayed from raw MIME.
 */
async function moveBack(graph: GraphClient, job: MailJobConfig, entry: LedgerEntry, folderId: (path: string) => Promise<string>): Promise<'mailbox' | 'raw-mime'> {
  if (entry.replayFromRaw) return 'raw-mime';
  if (!job.postActions.moveFailedTo) return 'mailbox';
  const [move] = await graph.batch(planPostActions(job.mailbox, entry.graphId, {}, await folderId(job.folder), 'replay'));
  if (!move?.error) return 'mailbox';
  if (isAppError(move.error, 'GRAPH_NOT_FOUND')) return 'raw-mime';
  throw move.error;
}
