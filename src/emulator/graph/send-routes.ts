import { empty, json, type EmulatorResponse } from '../http/emulator-types.ts';
import { GraphError } from '../http/graph-error.ts';
import type { Router } from '../http/router.ts';
import { buildMime, newInternetMessageId, type MimeMessage } from '../state/build-mime.ts';
import { buildNdr } from '../state/build-ndr.ts';
import type { Mailbox, MailFolder } from '../state/mailbox.ts';
import { createMessageRecord, type MessageRecord, type Recipient } from '../state/message-record.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { checkCustomHeaders, composeFromJson, senderOf } from './compose-message.ts';
import { readJsonBody, resolveFolder } from './mail-folder-routes.ts';
import { extendedPropertiesOf } from './message-extended-properties.ts';
import { messageJson } from './message-json.ts';
import { findMessage } from './message-routes.ts';
import { requireMailbox, type OperationContext, type RouteMeta } from './operation-context.ts';
import { MAIL_SEND, MAIL_WRITE } from './permissions.ts';

/**
 * Files the Sent Items copy: at once, or after the emulator's Sent Items delay (the copy appears only once the mail
 * has gone out, https://learn.microsoft.com/en-us/graph/outlook-immutable-id). `immutableId` keeps a sent draft's id.
 */
async function fileSentCopy(ctx: OperationContext, raw: Buffer, now: Date, immutableId?: string): Promise<void> {
  const mailbox = requireMailbox(ctx);
  const record = await createMessageRecord({ raw, folderId: '', receivedAt: now, isRead: true, domain: mailbox.domain });
  if (immutableId !== undefined) record.immutableId = immutableId;
  ctx.env.sentItems.schedule(mailbox.upn, () => {
    mailbox.addMessage(mailbox.folderOf('sentitems'), record);
  });
}

/** Stores a sent message (Sent Items unless told not to), logs it, and delivers copies to mailboxes of this tenant. */
async function dispatch(ctx: OperationContext, mime: MimeMessage, saveToSentItems: boolean, headersForLog: { name: string; value: string }[], immutableId?: string): Promise<void> {
  const mailbox = requireMailbox(ctx);
  const now = new Date();
  mime.date = now;
  if (saveToSentItems) await fileSentCopy(ctx, buildMime(mime), now, immutableId);
  mailbox.sentLog.push({
    internetMessageId: mime.messageId,
    sentDateTime: now.toISOString(),
    from: mime.from,
    to: mime.to,
    cc: mime.cc,
    bcc: mime.bcc,
    replyTo: mime.replyTo,
    subject: mime.subject,
    body: mime.body,
    headers: headersForLog,
    attachments: mime.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.content.length, isInline: a.isInline })),
    savedToSentItems: saveToSentItems,
  });
  await deliverInternally(ctx.env.state(), mailbox, buildMime({ ...mime, bcc: [] }), [...mime.to, ...mime.cc, ...mime.bcc]);
}

/** Sends a MIME message as it is (sendMail in MIME mode, or a draft created from MIME). */
async function dispatchRaw(ctx: OperationContext, raw: Buffer, record: MessageRecord, immutableId?: string): Promise<void> {
  const mailbox = requireMailbox(ctx);
  const now = new Date();
  await fileSentCopy(ctx, raw, now, immutableId);
  mailbox.sentLog.push({
    internetMessageId: record.internetMessageId, sentDateTime: now.toISOString(), from: record.from, to: record.toRecipients, cc: record.ccRecipients,
    bcc: record.bccRecipients, replyTo: record.replyTo, subject: record.subject, body: record.body, headers: record.headers,
    attachments: record.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, isInline: a.isInline })), savedToSentItems: true,
  });
  await deliverInternally(ctx.env.state(), mailbox, raw, [...record.toRecipients, ...record.ccRecipients, ...record.bccRecipients]);
}

/** A base64 MIME body (Content-Type text/plain), as sendMail and create message take it. */
function mimeBody(ctx: OperationContext): Buffer | undefined {
  const contentType = (ctx.op.headers['content-type'] ?? 'application/json').toLowerCase();
  if (!contentType.startsWith('text/plain')) return undefined;
  const text = ctx.op.body.toString('utf8').replace(/\s+/g, '');
  if (text === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new GraphError(400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.');
  return Buffer.from(text, 'base64');
}

const noRecipients = (): GraphError =>
  new GraphError(400, 'ErrorInvalidRecipients', "At least one recipient is not valid., A message can't be sent because it contains no recipients.");

/**
 * Exchange delivers mail between mailboxes of the same tenant; recipients outside it only show up in the sent log. An
 * address in one of the tenant's own domains that names nobody bounces: the sender gets Exchange's NDR (5.1.10).
 */
async function deliverInternally(state: TenantState, sender: Mailbox, raw: Buffer, recipients: Recipient[]): Promise<void> {
  const seen = new Set<string>();
  for (const recipient of recipients) {
    const address = recipient.emailAddress.address.toLowerCase();
    const target = state.find(address);
    if (target === undefined && state.matchesTenant(address.split('@')[1] ?? '') && !seen.has(address)) {
      seen.add(address);
      const ndr = buildNdr({ sender: sender.upn, recipient: address, original: raw, date: new Date() });
      sender.addMessage(sender.folderOf('inbox'), await createMessageRecord({ raw: ndr, folderId: '', receivedAt: new Date(), domain: sender.domain }));
      continue;
    }
    if (target?.mailbox === undefined || seen.has(target.upn)) continue;
    seen.add(target.upn);
    const record = await createMessageRecord({ raw, folderId: '', receivedAt: new Date(), domain: target.mailbox.domain });
    target.mailbox.addMessage(target.mailbox.folderOf('inbox'), record);
  }
}

/**
 * `saveToSentItems` is a Boolean, yet Microsoft's own sendMail example sends it as the string "false"; Graph takes
 * both (https://learn.microsoft.com/en-us/graph/api/user-sendmail, request body and examples).
 */
function saveToSentItemsOf(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw new GraphError(400, 'RequestBodyRead', "Cannot convert the literal to the expected type 'Edm.Boolean' for 'saveToSentItems'.");
}

/** `POST /users/{u}/sendMail`: JSON or base64 MIME; 202 with an empty body (https://learn.microsoft.com/en-us/graph/api/user-sendmail). */
async function sendMail(ctx: OperationContext): Promise<EmulatorResponse> {
  const mailbox = requireMailbox(ctx);
  const target = ctx.target;
  if (target === undefined) throw new Error('sendMail without target');
  const raw = mimeBody(ctx);
  if (raw !== undefined) {
    const record = await createMessageRecord({ raw, folderId: '', receivedAt: new Date(), isRead: true, domain: mailbox.domain });
    if (record.toRecipients.length + record.ccRecipients.length + record.bccRecipients.length === 0) throw noRecipients();
    await dispatchRaw(ctx, raw, record);
    return empty(202);
  }
  const body = readJsonBody(ctx);
  const message = body.message;
  if (message === null || typeof message !== 'object') throw new GraphError(400, 'ErrorInvalidParameter', "The value of the parameter 'Message' is empty.");
  const mime = composeFromJson(message as Record<string, unknown>, target, mailbox, true);
  await dispatch(ctx, mime, saveToSentItemsOf(body.saveToSentItems), mime.headers);
  return empty(202);
}

function quoteHeader(original: MessageRecord): string {
  const list = (r: Recipient[]): string => r.map((x) => `${x.emailAddress.name} &lt;${x.emailAddress.address}&gt;`).join('; ');
  return `<hr style="display:inline-block;width:98%" tabindex="-1"><div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>From:</b> ${original.from === null ? '' : list([original.from])}<br><b>Sent:</b> ${new Date(original.sentDateTime).toUTCString()}<br><b>To:</b> ${list(original.toRecipients)}<br><b>Subject:</b> ${original.subject}</font><div>&nbsp;</div></div>`;
}

type ReplyKind = 'reply' | 'replyAll' | 'forward';

/** Builds the reply/forward the way Outlook does: prefix, recipients (replyTo wins), quoted original, threading headers. */
function composeResponse(ctx: OperationContext, original: MessageRecord, kind: ReplyKind): MimeMessage {
  const mailbox = requireMailbox(ctx);
  const target = ctx.target;
  if (target === undefined) throw new Error('reply without target');
  const body = readJsonBody(ctx);
  const extra = (body.message ?? {}) as Record<string, unknown>;
  const extraBody = (extra.body ?? undefined) as { content?: string } | undefined;
  if (typeof body.comment === 'string' && body.comment !== '' && extraBody?.content !== undefined && extraBody.content !== '') {
    throw new GraphError(400, 'ErrorInvalidRequest', 'You can specify either a comment or the body property of the message parameter, not both.');
  }
  const self = mailbox.upn;
  const notSelf = (r: Recipient): boolean => r.emailAddress.address.toLowerCase() !== self;
  const composed = composeFromJson({ ...extra, body: undefined }, target, mailbox, false);
  let to = composed.to;
  let cc = composed.cc;
  if (kind !== 'forward' && to.length === 0) {
    to = original.replyTo.length > 0 ? original.replyTo : original.from === null ? [] : [original.from];
    if (kind === 'replyAll') {
      to = [...to, ...original.toRecipients.filter(notSelf)];
      cc = [...cc, ...original.ccRecipients.filter(notSelf)];
    }
  }
  if (kind === 'forward') {
    const forwardTo = [...to, ...composeFromJson({ toRecipients: body.toRecipients }, target, mailbox, false).to];
    to = forwardTo;
  }
  const prefix = kind === 'forward' ? 'FW: ' : 'RE: ';
  const subject = /^(re|fw|fwd|aw|wg):/i.test(original.subject) && kind !== 'forward' ? original.subject : `${prefix}${original.subject}`;
  const comment = typeof body.comment === 'string' ? body.comment : (extraBody?.content ?? '');
  const quoted = original.body.contentType === 'html' ? original.body.content : `<pre>${original.textBody}</pre>`;
  const references = [...(original.headers.find((h) => h.name.toLowerCase() === 'references')?.value.split(/\s+/) ?? []), original.internetMessageId].filter((r) => r !== '');
  return {
    ...composed,
    to,
    cc,
    subject,
    body: { contentType: 'html', content: `<html><body><div dir="ltr">${comment}</div>${quoteHeader(original)}${quoted}</body></html>` },
    attachments: kind === 'forward' ? [...original.attachments.filter((a) => a.kind === 'file').map((a) => ({ name: a.name, contentType: a.contentType ?? 'application/octet-stream', content: a.content, isInline: a.isInline, contentId: a.contentId })), ...composed.attachments] : composed.attachments,
    headers: [
      ...composed.headers,
      ...(kind === 'forward' ? [] : [{ name: 'In-Reply-To', value: original.internetMessageId }, { name: 'References', value: references.join(' ') }]),
    ],
    messageId: newInternetMessageId(mailbox.domain),
  };
}

async function respond(ctx: OperationContext, kind: ReplyKind): Promise<EmulatorResponse> {
  const original = findMessage(ctx, ctx.params.id ?? '');
  const mime = composeResponse(ctx, original, kind);
  if (mime.to.length + mime.cc.length + mime.bcc.length === 0) {
    throw noRecipients();
  }
  await dispatch(ctx, mime, true, mime.headers);
  return empty(202);
}

async function saveDraft(ctx: OperationContext, mime: MimeMessage, folder?: MailFolder): Promise<MessageRecord> {
  const mailbox = requireMailbox(ctx);
  const record = await createMessageRecord({ raw: buildMime(mime), folderId: '', receivedAt: new Date(), isRead: true, isDraft: true, domain: mailbox.domain });
  return mailbox.addMessage(folder ?? mailbox.folderOf('drafts'), record);
}

/**
 * `POST /users/{u}/messages` or `/mailFolders/{id}/messages`: a draft in Drafts or that folder, 201 with the message
 * (https://learn.microsoft.com/en-us/graph/api/user-post-messages, https://learn.microsoft.com/en-us/graph/api/mailfolder-post-messages).
 * JSON, or base64 MIME with Content-Type text/plain, whose headers (Message-ID among them) are kept as they are.
 */
async function createDraft(ctx: OperationContext): Promise<EmulatorResponse> {
  const mailbox = requireMailbox(ctx);
  if (ctx.target === undefined) throw new Error('draft without target');
  const folder = ctx.params.folder === undefined ? mailbox.folderOf('drafts') : resolveFolder(mailbox, ctx.params.folder);
  const raw = mimeBody(ctx);
  if (raw !== undefined) {
    const record = await createMessageRecord({ raw, folderId: '', receivedAt: new Date(), isRead: true, isDraft: true, domain: mailbox.domain });
    record.fromMime = true;
    return draftResponse(ctx, mailbox, mailbox.addMessage(folder, record));
  }
  const body = readJsonBody(ctx);
  const mime = composeFromJson(body, ctx.target, mailbox, false);
  mime.headers = checkCustomHeaders(body.internetMessageHeaders);
  const record = await saveDraft(ctx, mime, folder);
  record.extendedProperties = extendedPropertiesOf(body.singleValueExtendedProperties);
  return draftResponse(ctx, mailbox, record);
}

function draftResponse(ctx: OperationContext, mailbox: Mailbox, record: MessageRecord): EmulatorResponse {
  return json(201, { '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${mailbox.upn}')/messages/$entity`, ...messageJson(ctx, record, undefined) });
}

async function createResponseDraft(ctx: OperationContext, kind: ReplyKind): Promise<EmulatorResponse> {
  const original = findMessage(ctx, ctx.params.id ?? '');
  const record = await saveDraft(ctx, composeResponse(ctx, original, kind));
  return draftResponse(ctx, requireMailbox(ctx), record);
}

/**
 * `POST …/messages/{id}/send` for a draft (https://learn.microsoft.com/en-us/graph/api/message-send): it leaves its
 * folder at once; its Sent Items copy keeps the draft's immutable id, so `GET` by that id finds the copy once it is
 * there (https://learn.microsoft.com/en-us/graph/outlook-immutable-id, "Immutable ID with sending mail"). Until then
 * the id answers 404, and a second send of it fails: a sent draft cannot be sent again.
 */
async function sendDraft(ctx: OperationContext): Promise<EmulatorResponse> {
  const mailbox = requireMailbox(ctx);
  const target = ctx.target;
  const draft = findMessage(ctx, ctx.params.id ?? '');
  if (target === undefined) throw new Error('send without target');
  if (!draft.isDraft) throw new GraphError(400, 'ErrorInvalidOperation', 'Only draft messages can be sent.');
  if (draft.toRecipients.length + draft.ccRecipients.length + draft.bccRecipients.length === 0) throw noRecipients();
  if (draft.fromMime) {
    mailbox.removeMessage(draft);
    await dispatchRaw(ctx, draft.raw, draft, draft.immutableId);
    return empty(202);
  }
  const threading = draft.headers.filter((h) => /^(in-reply-to|references|x-)/i.test(h.name));
  const mime: MimeMessage = {
    from: senderOf(target), to: draft.toRecipients, cc: draft.ccRecipients, bcc: draft.bccRecipients, replyTo: draft.replyTo, subject: draft.subject,
    body: draft.body, headers: threading, messageId: draft.internetMessageId, date: new Date(), importance: draft.importance,
    attachments: draft.attachments.filter((a) => a.kind === 'file').map((a) => ({ name: a.name, contentType: a.contentType ?? 'application/octet-stream', content: a.content, isInline: a.isInline, contentId: a.contentId })),
  };
  mailbox.removeMessage(draft);
  await dispatch(ctx, mime, true, threading, draft.immutableId);
  return empty(202);
}

export function registerSendRoutes(router: Router<RouteMeta>): void {
  const send = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'outlook', permissions: MAIL_SEND, handler });
  const write = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'outlook', permissions: MAIL_WRITE, handler });
  router.add('POST', '/users/{user}/sendMail', send(sendMail));
  router.add('POST', '/users/{user}/messages', write(createDraft));
  router.add('POST', '/users/{user}/mailFolders/{folder}/messages', write(createDraft));
  for (const prefix of ['/users/{user}/messages/{id}', '/users/{user}/mailFolders/{folder}/messages/{id}']) {
    router.add('POST', `${prefix}/reply`, send((ctx) => respond(ctx, 'reply')));
    router.add('POST', `${prefix}/replyAll`, send((ctx) => respond(ctx, 'replyAll')));
    router.add('POST', `${prefix}/forward`, send((ctx) => respond(ctx, 'forward')));
    router.add('POST', `${prefix}/createReply`, write((ctx) => createResponseDraft(ctx, 'reply')));
    router.add('POST', `${prefix}/createReplyAll`, write((ctx) => createResponseDraft(ctx, 'replyAll')));
    router.add('POST', `${prefix}/createForward`, write((ctx) => createResponseDraft(ctx, 'forward')));
    router.add('POST', `${prefix}/send`, send(sendDraft));
  }
}
