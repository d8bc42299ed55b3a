import { AppError, isAppError, type Clock } from '../../core/index.ts';
import type { MailJobConfig } from '../../config/job-config.ts';
import { batchBodyBytes, type BatchRequest, type GraphClient } from '../../graph/index.ts';
import type { JobHandlerContext, JobHandlerResult } from '../../jobs/index.ts';
import { loadRuleSet } from '../../rules/index.ts';
import type { Store } from '../../store/index.ts';
import type { TicketStore } from '../../tickets/index.ts';
import { planPostActions } from '../actions/index.ts';
import { isMessageFailure } from './classify-failure.ts';
import { byReceived, deltaSelect, type DeltaMessage } from './delta-item.ts';
import { createDeltaStateStore } from './delta-state.ts';
import { createFolderCache } from './folder-cache.ts';
import { ledgerKey } from './ledger-key.ts';
import { createMessageLedger, type LedgerEntry, type LedgerMark } from './message-ledger.ts';
import { processMessages, type MessageToProcess, type ProcessContext, type ProcessedMessage } from './process-message.ts';

export interface MailJobDeps {
  store: Store;
  tickets: TicketStore;
  /** Already counting into the run's graphCalls. */
  graph: GraphClient;
  clock: Clock;
  /** The project folder: rule sets are read from its rules/. */
  root: string;
}

const CHUNK = 20;
const PAGE_SIZE = 100;
const immutable = 'IdType="ImmutableId"';

/** A mail whose database writes are done, waiting for its post-actions; `ledger` when it is not in the ledger yet. */
interface FinishedEntry {
  key: string;
  graphId: string;
  postActions: LedgerEntry['postActions'];
  categories?: string[];
  ledger?: LedgerMark['entry'];
}

interface WorkItem {
  item: DeltaMessage;
  key: string;
  /** Set when only the post-actions are left (a run stopped after the database writes). */
  pending?: LedgerEntry;
}

/** One run of a mail connector job: unfinished mail from earlier runs first, then one delta round of the folder. */
export async function runMailJob(deps: MailJobDeps, job: MailJobConfig, ctx: JobHandlerContext): Promise<JobHandlerResult> {
  const { graph, clock, store } = deps;
  const mailbox = job.mailbox;
  const userPath = `/users/${encodeURIComponent(mailbox)}`;
  const ledger = createMessageLedger(store);
  const deltaState = createDeltaStateStore(store);
  const folderId = createFolderCache(graph, mailbox);
  const ruleSet = await loadRuleSet(`rules/${job.rules}.json`, { cwd: deps.root });
  const folder = await folderId(job.folder);
  const processCtx: ProcessContext = { store, tickets: deps.tickets, ledger, ruleSet, job, connection: graph.connectionName, clock };
  const since = job.since ? Date.parse(job.since) : null;
  let done = 0;

  const checkAbort = (): void => {
    if (ctx.signal.aborted) throw new AppError('JOB_ABORTED', `job ${job.name} was stopped; it resumes where it stood on its next run`);
  };

  async function fetchMime(items: readonly WorkItem[]): Promise<Map<string, Uint8Array | AppError>> {
    const requests: BatchRequest[] = items.map((w, i) => ({ id: String(i + 1), method: 'GET', url: `${userPath}/messages/${encodeURIComponent(w.item.id)}/$value`, headers: { Prefer: immutable } }));
    const responses = await graph.batch(requests, { signal: ctx.signal });
    const out = new Map<string, Uint8Array | AppError>();
    responses.forEach((response, i) => {
      const key = items[i]!.key;
      out.set(key, response.error ?? (response.status >= 400 ? new AppError('GRAPH_ERROR', `fetching the message failed with ${response.status}`) : batchBodyBytes(response)));
    });
    return out;
  }

  async function quarantine(work: WorkItem, error: AppError, attempts: number): Promise<void> {
    if (job.postActions.moveFailedTo) {
      const target = await folderId(job.postActions.moveFailedTo);
      const [move] = await graph.batch(planPostActions(mailbox, work.item.id, {}, target, 'q'), { signal: ctx.signal });
      if (move?.error && move.error.code !== 'GRAPH_NOT_FOUND') throw move.error;
    }
    await ledger.markQuarantined(work.key, clock());
    ctx.run.count('quarantined');
    ctx.run.addItem({ key: work.key, outcome: 'quarantined', subject: work.item.subject ?? '', sender: work.item.from?.emailAddress?.address ?? '', error: { code: error.code, message: error.message }, attempts });
    ctx.logger.warn(`quarantined "${work.item.subject ?? ''}" after ${attempts} failed attempts: ${error.message}`, { key: work.key, code: error.code });
  }

  async function fail(work: WorkItem, error: AppError): Promise<void> {
    const attempts = await ledger.recordFailure({ _id: work.key, job: job.name, mailbox, graphId: work.item.id, internetMessageId: work.item.internetMessageId ?? null, subject: work.item.subject ?? '' }, { code: error.code, message: error.message }, clock());
    if (attempts >= job.limits.maxAttempts) return quarantine(work, error, attempts);
    ctx.run.count('failed');
    ctx.run.addItem({ key: work.key, outcome: 'failed', subject: work.item.subject ?? '', sender: work.item.from?.emailAddress?.address ?? '', error: { code: error.code, message: error.message }, attempts });
  }

  function record(result: ProcessedMessage): void {
    const { applied } = result;
    const counter = applied.action === 'ignored' || applied.action === 'none' ? 'ignored' : applied.action === 'added-comment' ? 'updated' : 'created';
    ctx.run.count(counter);
    ctx.run.addItem({ key: result.key, outcome: counter, subject: result.subject, sender: result.sender ?? '', rule: result.rule, action: applied.action, target: applied.target ?? '', ...(result.parseWarnings.length > 0 ? { parseWarnings: result.parseWarnings } : {}) });
  }

  /**
   * Post-actions for a chunk in one batch; a message deleted meanwhile needs none. Then one ledger write for the
   * chunk: done, or applied where a post-action failed (the next run retries only those).
   */
  async function finish(entries: readonly FinishedEntry[]): Promise<void> {
    const requests: BatchRequest[] = [];
    const owners: string[] = [];
    for (const [i, entry] of entries.entries()) {
      const actions = entry.postActions ?? {};
      const target = actions.moveTo ? await folderId(actions.moveTo) : null;
      for (const request of planPostActions(mailbox, entry.graphId, actions, target, `m${i}`, entry.categories)) {
        requests.push(request);
        owners.push(entry.key);
      }
    }
    const failedKeys = new Set<string>();
    if (requests.length > 0) {
      let responses;
      try {
        responses = await graph.batch(requests, { signal: ctx.signal });
      } catch (error) {
        // The run stops here; the writes are done, so the next run should redo only the post-actions.
        await ledger.markFinished(entries.flatMap(({ key, ledger: entry }) => (entry ? [{ key, status: 'applied' as const, entry }] : [])), clock());
        throw error;
      }
      responses.forEach((response, i) => {
        if (response.error && response.error.code !== 'GRAPH_NOT_FOUND') {
          failedKeys.add(owners[i]!);
          ctx.logger.warn(`post-action failed: ${response.error.message}`, { key: owners[i], code: response.error.code });
        }
      });
    }
    const marks = entries.flatMap(({ key, ledger: entry }): LedgerMark[] => {
      const status = failedKeys.has(key) ? 'applied' : 'done';
      // Mail from an earlier run is in the ledger as applied already.
      if (!entry) return status === 'done' ? [{ key, status }] : [];
      return [{ key, status, entry }];
    });
    await ledger.markFinished(marks, clock());
  }

  async function processChunk(chunk: readonly WorkItem[]): Promise<void> {
    checkAbort();
    const finished: FinishedEntry[] = [];
    const fresh = chunk.filter((w) => !w.pending);
    for (const w of chunk) if (w.pending) finished.push({ key: w.key, graphId: w.item.id, postActions: w.pending.postActions, categories: w.item.categories ?? [] });
    const mime = fresh.length > 0 ? await fetchMime(fresh) : new Map<string, Uint8Array | AppError>();
    const fetched: (MessageToProcess & { work: WorkItem })[] = [];
    for (const work of fresh) {
      const raw = mime.get(work.key);
      if (raw instanceof AppError) {
        if (isAppError(raw, 'GRAPH_NOT_FOUND')) {
          ctx.run.count('gone');
          continue;
        }
        if (!isMessageFailure(raw)) throw raw;
        await fail(work, raw);
        continue;
      }
      fetched.push({ work, item: work.item, key: work.key, raw: raw ?? new Uint8Array() });
    }
    const results = fetched.length > 0 ? await processMessages(processCtx, fetched) : [];
    for (const [i, result] of results.entries()) {
      const { work } = fetched[i]!;
      if ('error' in result) await fail(work, result.error);
      else {
        record(result);
        finished.push({ key: result.key, graphId: result.graphId, postActions: result.postActions, categories: work.item.categories ?? [], ledger: result.ledger });
      }
      done += 1;
      ctx.onProgress({ done, total: null, label: work.item.subject ?? '' });
    }
    await finish(finished);
    await ctx.run.flush();
  }

  /** Keys not yet finished, in the order they should be handled; done and quarantined mail is left alone. */
  async function selectWork(items: readonly DeltaMessage[]): Promise<WorkItem[]> {
    const candidates = items
      .filter((item) => since === null || !item.receivedDateTime || Date.parse(item.receivedDateTime) >= since)
      .sort(byReceived)
      .map((item) => ({ item, key: ledgerKey(mailbox, item.internetMessageId, item.id) }));
    const known = await ledger.getMany(candidates.map((c) => c.key));
    const work: WorkItem[] = [];
    for (const candidate of candidates) {
      const entry = known.get(candidate.key);
      ctx.run.count('seen');
      if (entry?.status === 'done' || entry?.status === 'quarantined') continue;
      work.push(entry?.status === 'applied' ? { ...candidate, item: { ...candidate.item, id: entry.graphId }, pending: entry } : candidate);
    }
    return work;
  }

  async function runChunks(work: readonly WorkItem[]): Promise<boolean> {
    for (let i = 0; i < work.length; i += CHUNK) {
      const room = job.limits.messagesPerRun - done;
      if (room <= 0) return false;
      await processChunk(work.slice(i, i + Math.min(CHUNK, room)));
    }
    return done < job.limits.messagesPerRun || work.length === 0;
  }

  // 1. Mail an earlier run left unfinished: failed (retry) or applied (post-actions only). Delta will not report them again.
  const unfinished = await ledger.listUnfinished(job.name, job.limits.messagesPerRun);
  if (unfinished.length > 0) {
    const retry = unfinished.map((entry): WorkItem => ({
      key: entry._id,
      item: { id: entry.graphId, internetMessageId: entry.internetMessageId, subject: entry.subject },
      ...(entry.status === 'applied' ? { pending: entry } : {}),
    }));
    ctx.run.note(`${retry.length} message(s) from earlier runs retried`);
    await runChunks(retry);
  }

  // 2. One delta round from where the last run stood. Position is saved only after a page is completely handled.
  const initial = `${userPath}/mailFolders/${encodeURIComponent(folder)}/messages/delta?$select=${deltaSelect}`;
  const headers = { Prefer: `odata.maxpagesize=${PAGE_SIZE}, ${immutable}` };
  let resynced = false;
  for (;;) {
    const state = await deltaState.load(job.name, folder);
    try {
      for await (const page of graph.deltaPages<DeltaMessage>(state?.link ?? initial, { headers, signal: ctx.signal })) {
        const complete = await runChunks(await selectWork(page.items));
        if (!complete) {
          ctx.run.note(`stopped at the limit of ${job.limits.messagesPerRun} messages per run; the rest follows on the next run`);
          return {};
        }
        const link = page.deltaLink ?? page.nextLink;
        if (link) await deltaState.save(job.name, folder, link, page.deltaLink ? 'delta' : 'next', clock());
      }
      return {};
    } catch (error) {
      if (!isAppError(error, 'GRAPH_SYNC_STATE_GONE') || resynced || !state) throw error;
      // Graph forgot our sync state (tokens expire): read the folder again from scratch; the ledger skips what is done.
      resynced = true;
      ctx.run.note('the saved delta link had expired; the folder was read again in full (no mail is processed twice)');
      ctx.logger.warn('delta link expired; resyncing the folder', { folder: job.folder });
      await deltaState.clear(job.name, folder);
    }
  }
}
