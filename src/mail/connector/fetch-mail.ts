import { AppError, isAppError, toAppError } from '../../core/index.ts';
import { batchBodyBytes, messageByIdRequest, messageValueRequest } from '../../graph/index.ts';
import { readFileBytes } from '../../store/index.ts';
import { isMessageFailure } from './classify-failure.ts';
import { fetchUnconvertible, type Unconvertible } from './fetch-unconvertible.ts';
import type { MailFailure, MailRun, WorkItem } from './mail-run.ts';

export type Fetched =
  | { kind: 'raw'; bytes: Uint8Array }
  | { kind: 'gone' }
  | { kind: 'failed'; failure: MailFailure }
  | Unconvertible;

/** A large MIME download gets more time than the client's default per attempt. */
const largeFetchTimeoutMs = 120_000;

/**
 * Whether a mail is fetched on its own rather than in a `$batch`: a batch carries every `$value` base64-encoded
 * inside one JSON body, so twenty mails with large attachments would be one response of a gigabyte.
 */
export function fetchedAlone(work: WorkItem): boolean {
  return work.item.hasAttachments === true;
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

/** One mail's MIME on its own (a large one), or from the file store for a replay of a mail gone from the mailbox. */
export async function fetchOne(run: MailRun, work: WorkItem): Promise<Fetched> {
  if (work.entry?.replayFromRaw && work.entry.rawMimeFileId) return { kind: 'raw', bytes: await readFileBytes(run.store, work.entry.rawMimeFileId) };
  const { url, headers } = messageValueRequest({ mailbox: run.job.mailbox, messageId: work.item.id });
  try {
    return { kind: 'raw', bytes: await run.graph.getBytes(url, { ...(headers ? { headers } : {}), signal: run.ctx.signal, timeoutMs: largeFetchTimeoutMs }) };
  } catch (error) {
    if (isAppError(error, 'GRAPH_NOT_FOUND')) return goneOrFailed(run, work, error);
    if (isAppError(error, 'GRAPH_MIME_CONVERSION_FAILED')) return fetchUnconvertible(run, work, error);
    return asFailure(work.key, error);
  }
}

/** Many small mails' MIME in `$batch`es (results by key). */
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
    else out.set(work.key, { kind: 'raw', bytes: batchBodyBytes(response) });
  }
  return out;
}
