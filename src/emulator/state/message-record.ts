import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { randomBytes } from 'node:crypto';
import { newChangeKey, newImmutableId, newInternetMessageId, newRestId, stableId } from './ids.ts';

export interface Recipient {
  emailAddress: { name: string; address: string };
}

export interface AttachmentRecord {
  index: number;
  name: string;
  /** null for item attachments (an attached message), as Graph reports. */
  contentType: string | null;
  size: number;
  isInline: boolean;
  contentId: string | null;
  kind: 'file' | 'item';
  content: Buffer;
}

export interface MessageRecord {
  immutableId: string;
  restId: string;
  folderId: string;
  raw: Buffer;
  subject: string;
  from: Recipient | null;
  sender: Recipient | null;
  toRecipients: Recipient[];
  ccRecipients: Recipient[];
  bccRecipients: Recipient[];
  replyTo: Recipient[];
  internetMessageId: string;
  conversationId: string;
  conversationIndex: string;
  sentDateTime: string;
  receivedDateTime: string;
  /** Set by the control API (`unconvertible=true`): `$value` answers 500 ErrorMimeContentConversionFailed, as Exchange does for rights-protected items. */
  mimeUnconvertible?: boolean;
  createdDateTime: string;
  lastModifiedDateTime: string;
  body: { contentType: 'html' | 'text'; content: string };
  textBody: string;
  bodyPreview: string;
  attachments: AttachmentRecord[];
  hasAttachments: boolean;
  importance: 'low' | 'normal' | 'high';
  isRead: boolean;
  isDraft: boolean;
  isDeliveryReceiptRequested: boolean;
  isReadReceiptRequested: boolean;
  inferenceClassification: 'focused' | 'other';
  flag: Record<string, unknown>;
  categories: string[];
  headers: { name: string; value: string }[];
  changeKey: string;
  /** Mailbox change sequence at which the message entered its current folder (delta: created vs updated). */
  arrivalSeq: number;
  /** Single-value extended properties set by a client (`{id: 'String {guid} Name x', value}`); computed ones are added when rendered. */
  extendedProperties: { id: string; value: string }[];
  /** A draft created from MIME and not changed since: sending it sends that MIME as it is. */
  fromMime: boolean;
}

/**
 * A new `conversationIndex` as Exchange starts a thread with: one reserved byte, five bytes of the current FILETIME
 * and a 16-byte GUID, base64 (22 bytes; https://learn.microsoft.com/en-us/graph/api/resources/message, property
 * conversationIndex; the layout is MS-OXOMSG PidTagConversationIndex).
 */
export function newConversationIndex(now: Date): string {
  const filetime = (BigInt(now.getTime()) + 11_644_473_600_000n) * 10_000n;
  const header = Buffer.alloc(6);
  header[0] = 0x01;
  header.writeUIntBE(Number((filetime >> 24n) & 0xff_ffff_ffffn), 1, 5);
  return Buffer.concat([header, randomBytes(16)]).toString('base64');
}

/** Graph renders date-times in UTC without fractional seconds for messages. */
export function graphDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function recipients(value: AddressObject | AddressObject[] | undefined): Recipient[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: Recipient[] = [];
  for (const object of list) {
    for (const address of object.value) {
      if (address.address !== undefined && address.address !== '') {
        out.push({ emailAddress: { name: address.name !== '' ? address.name : address.address, address: address.address } });
      }
      for (const member of address.group ?? []) {
        if (member.address !== undefined) out.push({ emailAddress: { name: member.name !== '' ? member.name : member.address, address: member.address } });
      }
    }
  }
  return out;
}

function importanceOf(parsed: ParsedMail): 'low' | 'normal' | 'high' {
  // mailparser folds Importance, X-Priority and X-MSMail-Priority into one normalised `priority` header.
  const priority = String(parsed.headers.get('priority') ?? parsed.headers.get('importance') ?? '').toLowerCase();
  return priority === 'high' || priority === 'low' ? priority : 'normal';
}

function headerLines(parsed: ParsedMail): { name: string; value: string }[] {
  return parsed.headerLines.map(({ line }) => {
    const colon = line.indexOf(':');
    return { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim() };
  });
}

function firstMessageId(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value[0] : value.split(/\s+/)[0];
}

/** Outlook's Thread-Index header carries the conversation index the sender's client made; kept when it is base64. */
function threadIndexOf(parsed: ParsedMail): string | undefined {
  const value = parsed.headers.get('thread-index');
  return typeof value === 'string' && /^[A-Za-z0-9+/]{20,}={0,2}$/.test(value.trim()) ? value.trim() : undefined;
}

export function previewOf(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 255);
}

export interface NewMessageInput {
  raw: Buffer;
  folderId: string;
  receivedAt: Date;
  isRead?: boolean;
  isDraft?: boolean;
  /** Use the Date header as receivedDateTime (seeded mail looks as old as it is). */
  receivedFromDateHeader?: boolean;
  domain: string;
}

export async function createMessageRecord(input: NewMessageInput): Promise<MessageRecord> {
  // Link detection and text→HTML conversion are skipped: they cost two thirds of the parse and the JSON view makes its own.
  const parsed = await simpleParser(input.raw, { keepCidLinks: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true });
  const html = typeof parsed.html === 'string' ? parsed.html : undefined;
  const text = parsed.text ?? '';
  // A mail without a Message-ID gets a fresh one, as Exchange assigns it: never one derived from the content, or two
  // different mails that begin alike would share it.
  const messageId = parsed.messageId ?? newInternetMessageId(input.domain);
  const references = parsed.references;
  const root = firstMessageId(references) ?? firstMessageId(parsed.inReplyTo) ?? messageId;
  const sent = parsed.date ?? input.receivedAt;
  const received = input.receivedFromDateHeader === true ? sent : input.receivedAt;
  const attachments: AttachmentRecord[] = parsed.attachments.map((attachment, index) => {
    const isItem = attachment.contentType === 'message/rfc822';
    const contentId = attachment.contentId === undefined ? null : attachment.contentId.replace(/^<|>$/g, '');
    const referenced = contentId !== null && html !== undefined && html.includes(`cid:${contentId}`);
    return {
      index,
      name: attachment.filename ?? (isItem ? 'Attached message' : `attachment${index + 1}`),
      contentType: isItem ? null : attachment.contentType,
      size: attachment.size,
      isInline: referenced || (attachment.related === true && contentId !== null),
      contentId,
      kind: isItem ? 'item' : 'file',
      content: attachment.content,
    };
  });
  const from = recipients(parsed.from)[0] ?? null;
  const senderHeader = parsed.headers.get('sender') as AddressObject | undefined;
  const receivedDate = graphDate(received);
  return {
    immutableId: newImmutableId(),
    restId: newRestId(),
    folderId: input.folderId,
    raw: input.raw,
    subject: parsed.subject ?? '',
    from,
    sender: recipients(senderHeader)[0] ?? from,
    toRecipients: recipients(parsed.to),
    ccRecipients: recipients(parsed.cc),
    bccRecipients: recipients(parsed.bcc),
    replyTo: recipients(parsed.replyTo),
    internetMessageId: messageId,
    conversationId: stableId('AAQkAG', root.toLowerCase()),
    conversationIndex: threadIndexOf(parsed) ?? newConversationIndex(input.receivedAt),
    sentDateTime: graphDate(sent),
    receivedDateTime: receivedDate,
    createdDateTime: receivedDate,
    lastModifiedDateTime: receivedDate,
    body: html === undefined ? { contentType: 'text', content: text } : { contentType: 'html', content: html },
    textBody: text,
    bodyPreview: previewOf(text),
    attachments,
    hasAttachments: attachments.some((a) => !a.isInline),
    importance: importanceOf(parsed),
    isRead: input.isRead ?? false,
    isDraft: input.isDraft ?? false,
    isDeliveryReceiptRequested: parsed.headers.has('return-receipt-to'),
    isReadReceiptRequested: parsed.headers.has('disposition-notification-to'),
    inferenceClassification: 'focused',
    flag: { flagStatus: 'notFlagged' },
    categories: [],
    headers: headerLines(parsed),
    changeKey: newChangeKey(),
    arrivalSeq: 0,
    extendedProperties: [],
    fromMime: false,
  };
}
