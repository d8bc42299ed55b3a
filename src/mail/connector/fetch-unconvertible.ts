import { isAppError, toAppError, type AppError } from '../../core/index.ts';
import { messageByIdRequest, messageValueRequest } from '../../graph/index.ts';
import { buildUnreadableMessage, parseMessage, type Message } from '../parse/index.ts';
import { readFileChunks, type Store } from '../../store/index.ts';
import { isMessageFailure } from './classify-failure.ts';
import type { MailRun, WorkItem } from './mail-run.ts';

/** What a mail Graph cannot convert to MIME is processed from: its Graph properties, and a stand-in of them as the stored original. */
export interface Unconvertible {
  kind: 'unreadable';
  message: Message;
  /** A stand-in message with the properties: stored in place of the MIME, and what the duplicate check digests. */
  bytes: Uint8Array;
  /** For the run's line: the mail was processed from a stored stand-in, not from Graph (a replay of a mail gone from the mailbox). */
  warning?: string;
}

/** The header that marks the stand-in (see standInMime); a replay from stored MIME looks for it. */
const standInMark = 'x-mailroom-stand-in: mime-unavailable';

/** Whether a stored mail's header block is that of a stand-in rather than the mail's own MIME. */
export function isStandIn(head: Uint8Array): boolean {
  return Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1').toLowerCase().split(/\r?\n/).includes(standInMark);
}

/** Whether the stored MIME of a mail is a stand-in: reads only as far as the end of its header block. */
export async function storedIsStandIn(store: Store, fileId: string): Promise<boolean> {
  let head = Buffer.alloc(0);
  for await (const chunk of readFileChunks(store, fileId)) {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
    if (end >= 0) return isStandIn(head.subarray(0, end));
    if (head.byteLength > 256 * 1024) return false;
  }
  return isStandIn(head);
}

/**
 * A replay from stored MIME of a mail Graph could not convert (it is gone from the mailbox, so Graph cannot be asked
 * again): the stored stand-in is not the mail, so it is not parsed as one. The mail is built again from the
 * properties the stand-in keeps (sender, subject, date, Message-ID, why; stand-ins from before the encryption header
 * count as rights-protected), exactly as its first processing built it, and the run's line says where it came from.
 */
export async function unconvertibleFromStandIn(work: WorkItem, bytes: Uint8Array): Promise<Unconvertible> {
  const parsed = await parseMessage(bytes, { graphId: work.item.id });
  const header = (name: string): string | undefined => parsed.headers[name]?.[0]?.trim() || undefined;
  const encryption = header('x-mailroom-encryption') === 'smime' ? 'smime' : 'rights-protected';
  const reason = header('x-mailroom-reason') ?? 'Graph could not convert the message to MIME';
  const message = buildUnreadableMessage({
    graphId: work.item.id, conversationId: work.item.conversationId ?? null, internetMessageId: parsed.ids.internetMessageId,
    from: parsed.from, subject: parsed.subject, date: parsed.date, reason, encryption,
  });
  return {
    kind: 'unreadable', message, bytes,
    warning: `replayed from the stand-in kept in place of its MIME: Graph could not convert this mail and it is gone from the mailbox, so only its sender, subject and date are known (${reason})`,
  };
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
  singleValueExtendedProperties?: { id?: string; value?: string }[] | null;
}

/**
 * PidTagMessageClass tells S/MIME items (`IPM.Note.SMIME…`) from rights-protected ones, so the ticket names the right
 * kind. https://learn.microsoft.com/en-us/office/client-developer/outlook/mapi/pidtagmessageclass-canonical-property
 */
const messageClassExpand = "singleValueExtendedProperties($filter=id eq 'String 0x001A')";

function encryptionOf(properties: GraphMessageProperties): 'smime' | 'rights-protected' {
  // Graph spells the id its own way ("String 0x1a"): compare type and tag, not the text.
  const messageClass = properties.singleValueExtendedProperties?.find((p) => /^string\s+0x0*1a$/i.test(p.id?.trim() ?? ''))?.value ?? '';
  return /^ipm\.note\.smime/i.test(messageClass) ? 'smime' : 'rights-protected';
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
    const { url: byId } = messageByIdRequest({ mailbox, messageId: work.item.id, select });
    properties = await run.graph.get<GraphMessageProperties>(`${byId}&$expand=${encodeURIComponent(messageClassExpand)}`, { headers: { Prefer: 'IdType="ImmutableId"' }, signal: run.ctx.signal });
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
    subject: properties.subject ?? '', date: properties.sentDateTime ?? properties.receivedDateTime ?? null, reason, encryption: encryptionOf(properties),
  });
  return { kind: 'unreadable', message, bytes: new TextEncoder().encode(standInMime(properties, reason, encryptionOf(properties))) };
}

/** A header value as RFC 2047 when it is not plain ASCII; line breaks never reach the header. */
function headerText(value: string): string {
  const flat = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(flat) ? flat : `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

/**
 * What is stored in place of the MIME (the ticket's original, a quarantine's copy): a small message with the
 * properties Graph gave and a text that says why, so a download opens in any mail program and says what happened.
 * Id and arrival time are left out, so the same mail delivered twice digests alike (a true duplicate).
 */
function standInMime(properties: GraphMessageProperties, reason: string, encryption: 'smime' | 'rights-protected'): string {
  const address = properties.from?.emailAddress?.address?.replace(/[\r\n<>]/g, '') ?? '';
  const name = properties.from?.emailAddress?.name ?? '';
  const date = Date.parse(properties.sentDateTime ?? '');
  const messageId = properties.internetMessageId?.replace(/[\r\n]/g, '');
  return [
    ...(address ? [`From: ${name ? `"${headerText(name).replace(/"/g, "'")}" ` : ''}<${address}>`] : []),
    `Subject: ${headerText(properties.subject ?? '')}`,
    ...(Number.isNaN(date) ? [] : [`Date: ${new Date(date).toUTCString()}`]),
    ...(messageId ? [`Message-ID: ${messageId}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    'X-Mailroom-Stand-In: mime-unavailable',
    // What a replay from this stand-in needs to build the mail again as it was first processed (not digested: see ContentDigest).
    `X-Mailroom-Encryption: ${encryption}`,
    `X-Mailroom-Reason: ${headerText(reason)}`,
    '',
    `${reason}. This is a stand-in with the message's sender, subject and date; open the original in Outlook.`,
    '',
  ].join('\r\n');
}
