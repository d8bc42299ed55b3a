import { isAppError, type Clock } from '../../core/index.ts';
import type { MailJobConfig } from '../../config/job-config.ts';
import { messageDeltaRequest, messageSizeExpand, type GraphClient } from '../../graph/index.ts';
import type { JobHandlerContext, JobHandlerResult } from '../../jobs/index.ts';
import { loadRuleSet } from '../../rules/index.ts';
import type { Store } from '../../store/index.ts';
import { createThreadIndex, type NotificationBounces, type TicketStore } from '../../tickets/index.ts';
import { byReceived, deltaSelect, type DeltaMessage } from './delta-item.ts';
import { createDeltaStateStore, type DeltaState } from './delta-state.ts';
import { createFolderCache } from './folder-cache.ts';
import { ledgerKey, legacyLedgerKey } from './ledger-key.ts';
import type { MailRun, WorkItem } from './mail-run.ts';
import { createMessageLedger } from './message-ledger.ts';
import { resolveSourceFolder, sourceFolder, type SourceFolder } from './source-folder.ts';
import { workThrough } from './work-through.ts';
import { loadMailBacklog } from './mail-backlog.ts';
import { noteBacklog, recordBacklog } from './record-backlog.ts';

export interface MailJobDeps {
  store: Store;
  tickets: TicketStore;
  /** Already counting into the run's graphCalls. */
  graph: GraphClient;
  clock: Clock;
  /** The project folder: rule sets are read from its rules/. */
  root: string;
  /** Delivery reports for our notifications are recorded here (src/notify's outbox, wired by src/app.ts). */
  bounces?: NotificationBounces;
}

/**
 * Delta page size asked for with `Prefer: odata.maxpagesize` (https://learn.microsoft.com/en-us/graph/api/message-delta;
 * Graph may send fewer): the run's cap, within 100 and 1,000 (the most Outlook lists a page, as for `$top`). A burst
 * or a first connection of 1,000 mails is then one delta request instead of ten, and a page is about what a run
 * handles: a position is saved only after its page is done, so a page larger than the cap would be read again by
 * each run until one finishes it.
 */
function deltaPageSize(messagesPerRun: number): number {
  return Math.min(1000, Math.max(100, messagesPerRun));
}

/** One run of a mail connector job: first the mail earlier runs left unfinished, then one delta round of the folder. */
export async function runMailJob(deps: MailJobDeps, job: MailJobConfig, ctx: JobHandlerContext): Promise<JobHandlerResult> {
  const { graph, store } = deps;
  const folderId = createFolderCache(graph, job.mailbox);
  const run: MailRun = {
    store, tickets: deps.tickets, threads: createThreadIndex(store), graph, clock: deps.clock, ledger: createMessageLedger(store), job, ctx, folderId,
    ruleSet: await loadRuleSet(`rules/${job.rules}.json`, { cwd: deps.root }),
    ...(deps.bounces ? { bounces: deps.bounces } : {}),
    handled: 0,
    backlog: await loadMailBacklog(store, job, deps.clock()),
    backlogSeen: { skipped: 0, imported: 0, pages: 0 },
  };
  if (!(await retryUnfinished(run))) return {};
  const states = createDeltaStateStore(store);
  const source = await sourceFolder(run, states);
  try {
    await readFolder(run, source);
    noteBacklog(run);
  } catch (error) {
    // A remembered id whose folder was deleted: look the path up again, and read the folder it names now.
    if (source.checkedAt || !isAppError(error, 'GRAPH_NOT_FOUND')) throw error;
    const fresh = await resolveSourceFolder(run);
    if (fresh.id === source.id) throw error;
    ctx.run.note(`the folder ${job.folder} has a new id; it is read from the start (no mail is processed twice)`);
    await readFolder(run, fresh);
    noteBacklog(run);
  }
  return {};
}

/** Step 1: mail an earlier run left failed, half-done or in flight. Delta will not report it again. */
async function retryUnfinished(run: MailRun): Promise<boolean> {
  const unfinished = await run.ledger.listUnfinished(run.job.name, run.job.limits.messagesPerRun);
  if (unfinished.length === 0) return true;
  run.ctx.run.note(`${unfinished.length} message(s) from earlier runs retried`);
  return workThrough(run, unfinished.map((entry): WorkItem => ({
    key: entry._id, entry,
    item: { id: entry.graphId, internetMessageId: entry.internetMessageId, subject: entry.subject, hasAttachments: true },
    ...(entry.status === 'applied' ? { pending: true } : {}),
    ...(entry.backlog ? { backlog: true } : {}),
  })));
}

/**
 * The mail of a delta page that needs work, oldest first. Mail already finished (done, quarantined, a duplicate) is
 * left alone and not seen again. Mail an earlier version keyed by Message-ID keeps that key, so nothing is
 * processed twice after an upgrade.
 */
async function selectWork(run: MailRun, items: readonly DeltaMessage[]): Promise<{ work: WorkItem[]; backlog: DeltaMessage[] }> {
  const mailbox = run.job.mailbox;
  const candidates = items
    .slice()
    .sort(byReceived)
    .map((item) => ({ item, key: ledgerKey(mailbox, item.id), legacy: legacyLedgerKey(mailbox, item.internetMessageId, item.id) }));
  const known = await run.ledger.getMany(candidates.flatMap((c) => [c.key, c.legacy]));
  const work: WorkItem[] = [];
  const backlog: DeltaMessage[] = [];
  let skipped = 0;
  for (const candidate of candidates) {
    // A legacy entry is this mail's only when it names this mail's Graph id; else another mail had the Message-ID.
    const legacy = known.get(candidate.legacy);
    const entry = known.get(candidate.key) ?? (legacy?.graphId === candidate.item.id ? legacy : undefined);
    if (entry?.status === 'done' || entry?.status === 'quarantined') {
      skipped += 1;
      continue;
    }
    // Failed, applied and in-flight mail was handled by step 1 of this run already.
    if (entry && (entry.status === 'failed' || entry.status === 'applied' || entry.status === 'inflight')) continue;
    // Only mail the ledger does not know is sorted as backlog: a deferred one keeps going where it was.
    const kind = run.backlog.classify(candidate.item.receivedDateTime);
    if (kind === 'skip' && !entry) {
      backlog.push(candidate.item);
      continue;
    }
    const isBacklog = kind === 'backlog' || entry?.backlog === true;
    work.push({ key: entry?._id ?? candidate.key, item: candidate.item, ...(entry ? { entry } : {}), ...(isBacklog ? { backlog: true } : {}) });
  }
  if (skipped > 0) run.ctx.run.note(`${skipped} message(s) reported again by Graph were processed earlier and left alone`);
  return { work, backlog };
}

/** Why a saved position is dropped instead of followed; null when it can be used. */
function refusedBefore(run: MailRun, state: DeltaState): string | null {
  if (state.resyncRequestedAt) return 'a resync was requested (`mailroom jobs resync`)';
  if (/^https?:\/\//i.test(state.link) && !state.link.startsWith(`${run.graph.graphBaseUrl}/`)) {
    return `the saved link is on ${new URL(state.link).origin}, not on the connection's Graph host ${new URL(run.graph.graphBaseUrl).origin}`;
  }
  return null;
}

/**
 * Graph refuses a saved link with 410 or syncStateNotFound / resyncRequired (GRAPH_SYNC_STATE_GONE), or with a 400 when
 * the sync state is malformed. https://learn.microsoft.com/graph/delta-query-overview#synchronization-reset
 */
function refusedBy(error: unknown): string | null {
  if (isAppError(error, 'GRAPH_SYNC_STATE_GONE')) return `Graph no longer knows it (${String(error.details.graphCode ?? error.details.status ?? 410)})`;
  if (isAppError(error, 'GRAPH_BAD_REQUEST')) return `Graph refused it as malformed (${String(error.details.graphCode ?? 400)})`;
  return null;
}

/**
 * Step 2: one delta round from where the last run stood; the position is saved only after a page is completely
 * handled. A saved position that cannot be used is dropped with a note and the folder is read again in full: the
 * ledger keeps every mail exactly once.
 */
async function readFolder(run: MailRun, source: SourceFolder): Promise<void> {
  const { job, graph, ctx } = run;
  const folder = source.id;
  const deltaState = createDeltaStateStore(run.store);
  // Each item carries its size, so mail is fetched in $batches sized by bytes. A position saved before the size was
  // asked for replays its own query (a delta link encodes it) and goes on without sizes: those mails are fetched
  // by the older rule (alone when they have attachments) until the folder is read again in full (`mailroom jobs
  // resync`, or Graph dropping the sync state); that is only fewer requests lost, never mail.
  const initial = messageDeltaRequest({ mailbox: job.mailbox, folderId: folder, select: deltaSelect, pageSize: deltaPageSize(job.limits.messagesPerRun), expand: messageSizeExpand });
  const drop = async (why: string): Promise<void> => {
    ctx.run.note(`the saved delta position was dropped because ${why}; the folder was read again in full (no mail is processed twice)`);
    ctx.logger.warn(`delta position dropped: ${why}; resyncing the folder`, { folder: job.folder });
    await deltaState.clear(job.name, folder);
  };
  let state = source.saved ?? await deltaState.load(job.name, folder);
  const refused = state ? refusedBefore(run, state) : null;
  if (refused) {
    await drop(refused);
    state = null;
  }
  for (let resynced = false; ; resynced = true) {
    await run.backlog.beginRound(state ? state.kind : 'start');
    try {
      for await (const page of graph.deltaPages<DeltaMessage>(state?.link ?? initial.url, { headers: initial.headers, signal: ctx.signal })) {
        const { work, backlog } = await selectWork(run, page.items);
        recordBacklog(run, backlog, work);
        if (!(await workThrough(run, work))) {
          ctx.run.note(`stopped at the limit of ${job.limits.messagesPerRun} messages per run; the rest follows on the next run`);
          return;
        }
        const link = page.deltaLink ?? page.nextLink;
        if (link) await deltaState.save(job.name, folder, link, page.deltaLink ? 'delta' : 'next', run.clock(), { path: job.folder, checkedAt: source.checkedAt });
        if (page.deltaLink) await run.backlog.endRound();
      }
      return;
    } catch (error) {
      const why = state && !resynced ? refusedBy(error) : null;
      if (!why) throw error;
      await drop(why);
      state = null;
    }
  }
}
