import { AppError, isAppError, toAppError } from '../../core/index.ts';
import { batchBodyBytes, maxBatchSize, type BatchResponse, messageByIdRequest, messageValueRequest, readMessageSize } from '../../graph/index.ts';
import { isMessageFailure } from './classify-failure.ts';
import { readFileBytes } from '../../store/index.ts';
import { fetchUnconvertible, isStandIn, unconvertibleFromStandIn, type Unconvertible } from './fetch-unconvertible.ts';
import type { MailFailure, MailRun, WorkItem } from './mail-run.ts';
import { readStoredMime, storeMimeStream, type StoredMime } from './stored-mime.ts';

export type Fetched =
  | { kind: 'raw'; bytes: Uint8Array }
  /** A mail fetched alone: streamed into the file store, never held whole. */
  | { kind: 'stored'; stored: StoredMime }
  | { kind: 'gone' }
  | { kind: 'failed'; failure: MailFailure }
  | Unconvertible;

/** A streamed MIME download waits this long for each next piece before it counts as stalled. */
const streamIdleTimeoutMs = 60_000;

/**
 * PidTagMessageSize is the store's size of the item, in which attachments are binary; in MIME they are base64, a third
 * larger. So the MIME a size stands for is budgeted at 4/3 of it (the emulator reports the MIME size: an overestimate
 * there, which only makes batches a little smaller).
 */
const mimePerStoreByte = 4 / 3;

/**
 * Mail estimated above this is fetched on its own (streamed into the file store). Below it, mail shares `$batch`es;
 * each batch response carries the MIME base64 inside one JSON body, held as text, parsed and decoded at once (about
 * five times the MIME in memory for a moment), so a batch's MIME is kept within `batchBudgetBytes`. Streaming used to
 * cost the embedded database four times its CPU a mail (chunks moved to the content's id and read back); since a
 * streamed file keeps its chunks where they were written and the backend reads a file's chunks by index, it costs
 * about what storing from memory does. Measured with `npm run bench:mail -- --messages 600` (realistic, move-only)
 * back to back at load 4-9 after that change: 4 and 8 MiB: 37.3 mails/s, database 7.4 ms CPU a mail, 0.142 Graph
 * requests a mail, connector peak 381 MB; 8 and 12 MiB: 42-44 mails/s, 7.0-7.4 ms, 0.118, 472-499 MB; 4 and 12:
 * 43.1, 7.3, 0.140, 427 MB. Memory is what stops a worker (a container's limit), while Exchange, not this, bounds a
 * mailbox's mail per second in production, so the 5 MB attachments of realistic mail are streamed: 4 and 8 MiB.
 */
export const aloneAboveBytes = 4 * 1024 * 1024;
export const batchBudgetBytes = 8 * 1024 * 1024;

/** What a mail without attachments and without a known size counts as in a batch's budget. */
const unknownSizeBytes = 256 * 1024;

/** The MIME bytes a mail is expected to have, when the delta round said its size. */
export function estimatedMimeBytes(work: WorkItem): number | undefined {
  const size = readMessageSize(work.item);
  return size === undefined ? undefined : Math.ceil(size * mimePerStoreByte);
}

/**
 * Whether a mail is fetched on its own rather than in a `$batch`: when it is large by its size; when the size is
 * unknown (a mail from the ledger, a delta position saved before sizes were asked for, a size Graph did not give),
 * when it has attachments, as it may be large.
 */
export function fetchedAlone(work: WorkItem): boolean {
  if (work.entry?.replayFromRaw && work.entry.rawMimeFileId) return true;
  const estimate = estimatedMimeBytes(work);
  return estimate === undefined ? work.item.hasAttachments === true : estimate > aloneAboveBytes;
}

/**
 * The fetches for mail in processing order: each unit is one mail fetched alone, or up to 20 (Graph's limit per
 * `$batch`) mails whose estimated MIME fits `batchBudgetBytes`. A batch goes on past a mail fetched alone (which
 * streams into the file store and holds no memory), so large mail does not cut the batches short; the caller
 * processes the mail in its order whichever unit brought it, so a reply is never processed before the mail it answers.
 */
export function planFetches(work: readonly WorkItem[]): WorkItem[][] {
  const units: WorkItem[][] = [];
  let batch: WorkItem[] = [];
  let bytes = 0;
  const close = (): void => {
    if (batch.length > 0) units.push(batch);
    batch = [];
    bytes = 0;
  };
  for (const w of work) {
    if (fetchedAlone(w)) {
      units.push([w]);
      continue;
    }
    const estimate = estimatedMimeBytes(w) ?? unknownSizeBytes;
    if (batch.length >= maxBatchSize || (batch.length > 0 && bytes + estimate > batchBudgetBytes)) close();
    batch.push(w);
    bytes += estimate;
  }
  close();
  return units;
}

function asFailure(key: string, error: unknown): Fetched {
  const appError = toAppError(error);
  if (!isMessageFailure(appError)) throw appError;
  return { kind: 'failed', failure: { key, error: appError, stage: 'fetch' } };
}

/**
 * A 404 on `$value` is checked again with a GET by id before the mail counts as gone: Exchange answers a passing
 * 404 now and then, and a mail called gone would never be read again. If the mail is there, the fetch failed.
 */
async function goneOrFailed(run: MailRun, work: WorkItem, notFound: AppError): Promise<Fetched> {
  try {
    await run.graph.get(messageByIdRequest({ mailbox: run.job.mailbox, messageId: work.item.id, select: ['id'] }).url, { headers: { Prefer: 'IdType="ImmutableId"' }, signal: run.ctx.signal });
  } catch (error) {
    if (isAppError(error, 'GRAPH_NOT_FOUND')) return { kind: 'gone' };
    throw toAppError(error);
  }
  return {
    kind: 'failed',
    failure: { key: work.key, stage: 'fetch', error: new AppError('GRAPH_NOT_FOUND', `the mail's MIME answered 404 although the mail exists; it is fetched again on the next run (${notFound.message})`, { cause: notFound }) },
  };
}

/**
 * One mail's MIME on its own (a large one, or one of unknown size with attachments), streamed from Graph into the
 * file store, or the stored MIME of a replay of a mail gone from the mailbox. A download that breaks after its first
 * byte (connection lost, stalled) fails this mail alone: it is retried on the next run, an attempt counted, so a mail
 * Graph can never deliver whole is quarantined instead of being fetched for ever; no file of it is left behind.
 */
export async function fetchOne(run: MailRun, work: WorkItem): Promise<Fetched> {
  if (work.entry?.replayFromRaw && work.entry.rawMimeFileId) {
    const stored = await readStoredMime(run.store, work.entry.rawMimeFileId);
    // What was kept of a mail Graph could not convert is a stand-in, not the mail: it is not parsed as if it were.
    return isStandIn(stored.head) ? unconvertibleFromStandIn(work, await readFileBytes(run.store, stored.fileId)) : { kind: 'stored', stored };
  }
  const { url, headers } = messageValueRequest({ mailbox: run.job.mailbox, messageId: work.item.id });
  let body: ReadableStream<Uint8Array>;
  try {
    body = await run.graph.getStream(url, { ...(headers ? { headers } : {}), signal: run.ctx.signal, timeoutMs: streamIdleTimeoutMs });
  } catch (error) {
    if (isAppError(error, 'GRAPH_NOT_FOUND')) return goneOrFailed(run, work, error);
    if (isAppError(error, 'GRAPH_MIME_CONVERSION_FAILED')) return fetchUnconvertible(run, work, error);
    return asFailure(work.key, error);
  }
  try {
    return { kind: 'stored', stored: await storeMimeStream(run.store, body, `${work.item.id}.eml`) };
  } catch (error) {
    const appError = toAppError(error);
    if (appError.code === 'JOB_ABORTED' || !appError.code.startsWith('GRAPH_')) throw appError;
    return { kind: 'failed', failure: { key: work.key, stage: 'fetch', error: appError } };
  }
}

/**
 * A body Graph garbled (not base64 where it must be) fails that mail alone, like a download broken midway: it is
 * fetched again (on its own) on the next run, an attempt counted, instead of stopping every run at the same batch.
 */
function bodyOf(work: WorkItem, response: BatchResponse): Fetched {
  try {
    return { kind: 'raw', bytes: batchBodyBytes(response) };
  } catch (error) {
    return { kind: 'failed', failure: { key: work.key, stage: 'fetch', error: toAppError(error) } };
  }
}

/** Small mails' MIME in one `$batch` (a unit of `planFetches`; results by key). */
export async function fetchBatched(run: MailRun, items: readonly WorkItem[]): Promise<Map<string, Fetched>> {
  const out = new Map<string, Fetched>();
  const viaGraph = items.filter((w) => !(w.entry?.replayFromRaw && w.entry.rawMimeFileId));
  for (const w of items) if (!viaGraph.includes(w)) out.set(w.key, await fetchOne(run, w));
  if (viaGraph.length === 0) return out;
  const requests = viaGraph.map((w, i) => messageValueRequest({ mailbox: run.job.mailbox, messageId: w.item.id, requestId: String(i + 1) }));
  const responses = await run.graph.batch(requests, { signal: run.ctx.signal });
  for (const [i, response] of responses.entries()) {
    const work = viaGraph[i]!;
    if (response.error && isAppError(response.error, 'GRAPH_NOT_FOUND')) out.set(work.key, await goneOrFailed(run, work, response.error));
    else if (response.error && isAppError(response.error, 'GRAPH_MIME_CONVERSION_FAILED')) out.set(work.key, await fetchUnconvertible(run, work, response.error));
    else if (response.error) out.set(work.key, asFailure(work.key, response.error));
    else if (response.status >= 400) out.set(work.key, asFailure(work.key, new AppError('GRAPH_ERROR', `fetching the message failed with ${response.status}`)));
    else out.set(work.key, bodyOf(work, response));
  }
  return out;
}
