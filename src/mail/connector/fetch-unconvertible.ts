import { isAppError, toAppError, type AppError } from '../../core/index.ts';
import { messageByIdRequest, messageValueRequest } from '../../graph/index.ts';
import { buildUnreadableMessage, type Message } from '../parse/index.ts';
import { isMessageFailure } from './classify-failure.ts';
import type { MailRun, WorkItem } from './mail-run.ts';

/** What a mail Graph cannot convert to MIME is processed from: its Graph properties, and those same properties as the stored original. */
export interface Unconvertible {
  kind: 'unreadable';
  message: Message;
  /** The properties as JSON: stored in place of the MIME (`<id>.json`), and what the duplicate check digests. */
  bytes: Uint8Array;
}

type Outcome = Unconvertible | { kind: 'raw'; bytes: Uint8Array } | { kind: 'gone' } | { kind: 'failed'; failure: { key: string; error: AppError; stage: 'fetch' } };

interface GraphMessageProperties {
  id: string;
  subject?: string | null;
  from?: { emailAddress?: { address?: string; name?: string } } | null;
  receivedDateTime?: string | null;
  sentDateTime?: string | null;
  internetMessageId?: string | null;
  conversationId?: string | null;
}

const select = ['id', 'subject', 'from', 'receivedDateTime', 'sentDateTime', 'internetMessageId', 'conversationId'];

function failedOrThrow(key: string, error: unknown): Outcome {
  const appError = toAppError(error);
  if (!isMessageFailure(appError)) throw appError;
  return { kind: 'failed', failure: { key, error: appError, stage: 'fetch' } };
}

/**
 * `$value` answered ErrorMimeContentConversionFailed (GRAPH_MIME_CONVERSION_FAILED). Graph gives the same answer on
 * every attempt for such items (rights-protected, opaque-signed or encrypted S/MIME; seen in the wild, e.g.
 * https://github.com/LogicLabs-OU/OpenArchiver/issues/487), so retrying with backoff only costs time; but a one-off
 * must not turn a readable mail into an unreadable ticket: the item's properties are read, then `$value` is asked
 * once more, and only a second refusal makes it unreadable. The mail then goes through the rules like any other,
 * marked rights-protected, so the rule set decides (a ticket that says it could not be read, or set aside).
 */
export async function fetchUnconvertible(run: MailRun, work: WorkItem, refusal: AppError): Promise<Outcome> {
  const { mailbox } = run.job;
  let properties: GraphMessageProperties;
  try {
    properties = await run.graph.get<GraphMessageProperties>(messageByIdRequest({ mailbox, messageId: work.item.id, select }).url, { headers: { Prefer: 'IdType="ImmutableId"' }, signal: run.ctx.signal });
  } catch (error) {
    if (isAppError(error, 'GRAPH_NOT_FOUND')) return { kind: 'gone' };
    return failedOrThrow(work.key, error);
  }
  const { url, headers } = messageValueRequest({ mailbox, messageId: work.item.id });
  try {
    return { kind: 'raw', bytes: await run.graph.getBytes(url, { ...(headers ? { headers } : {}), signal: run.ctx.signal }) };
  } catch (error) {
    if (!isAppError(error, 'GRAPH_MIME_CONVERSION_FAILED')) return failedOrThrow(work.key, error);
  }
  const reason = `Graph could not convert the message to MIME (${String(refusal.details.graphCode ?? refusal.code)})`;
  const address = properties.from?.emailAddress?.address;
  const message = buildUnreadableMessage({
    graphId: work.item.id, conversationId: properties.conversationId ?? null, internetMessageId: properties.internetMessageId ?? null,
    from: address ? { address, name: properties.from?.emailAddress?.name ?? '' } : null,
    subject: properties.subject ?? '', date: properties.sentDateTime ?? properties.receivedDateTime ?? null, reason,
  });
  // Id and arrival time are left out, so the same mail delivered twice digests alike (a true duplicate).
  const { id: _id, receivedDateTime: _received, ...stored } = properties;
  return { kind: 'unreadable', message, bytes: new TextEncoder().encode(`${JSON.stringify({ mimeUnavailable: reason, ...stored }, null, 2)}\n`) };
}
