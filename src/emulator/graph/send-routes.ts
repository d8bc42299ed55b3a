import { empty, json, type EmulatorResponse } from '../http/emulator-types.ts';
import { GraphError } from '../http/graph-error.ts';
import type { Router } from '../http/router.ts';
import { buildMime, newInternetMessageId, type MimeMessage } from '../state/build-mime.ts';
import type { Mailbox } from '../state/mailbox.ts';
import { createMessageRecord, type MessageRecord, type Recipient } from '../state/message-record.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { checkCustomHeaders, composeFromJson, senderOf } from './compose-message.ts';
import { readJsonBody } from './mail-folder-routes.ts';
import { messageJson } from './message-json.ts';
import { findMessage } from './message-routes.ts';
import { requireMailbox, type OperationContext, type RouteMeta } from './operation-context.ts';
import { MAIL_SEND, MAIL_WRITE } from './permissions.ts';

/** Stores a sent message (Sent Items unless told not to), logs it, and delivers copies to mailboxes of this tenant. */
async function dispatch(ctx: OperationContext, mime: MimeMessage, saveToSentItems: boolean, headersForLog: { name: string; value: string }[]): Promise<void> {
  const mailbox = requireMailbox(ctx);
  const now = new Date();
  mime.date = now;
  if (saveToSentItems) {
    const record = await createMessageRecord({ raw: buildMime(mime), folderId: '', receivedAt: now, isRead: true, domain: mailbox.domain });
    mailbox.addMessage(mailbox.folderOf('sentitems'), record);
  }
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
  await deliverInternally(ctx.env.state(), buildMime({ ...mime, bcc: [] }), [...mime.to, ...mime.cc, ...mime.bcc]);
}

/** Exchange delivers mail between mailboxes of the same tenant; recipients outside it only show up in the sent log. */
async function deliverInternally(state: TenantState, raw: Buffer, recipients: Recipient[]): Promise<void> {
  const seen = new Set<string>();
  for (const recipient of recipients) {
    const target = state.find(recipient.emailAddress.address);
    if (target?.mailbox === undefined || seen.has(target.upn)) continue;
    seen.add(target.upn);
    const record = await createMessageRecord({ raw, folderId: '', receivedAt: new Date(), domain: target.mailbox.domain });
    target.mailbox.addMessage(target.mailbox.folderOf('inbox'), record);
  }
}

/** `POST /users/{u}/sendMail`: JSON or base64 MIME; 202 with an empty body (https://learn.microsoft.com/en-us/graph/api/user-sendmail). */
async function sendMail(ctx: OperationContext): Promise<EmulatorResponse> {
  const mailbox = requireMailbox(ctx);
  const target = ctx.target;
  if (target === undefined) throw new Error('sendMail without target');
  const contentType = (ctx.op.headers['content-type'] ?? 'application/json').toLowerCase();
  if (contentType.startsWith('text/plain')) {
    const text = ctx.op.body.toString('utf8').replace(/\s+/g, '');
    if (text === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new GraphError(400, 'ErrorMimeContentInvalidBase64String', 'Invalid base64 string for MIME content.');
    const raw = Buffer.from(text, 'base64');
    const record = await createMessageRecord({ raw, folderId: '', receivedAt: new Date(), isRead: true, domain: mailbox.domain });
    if (record.toRecipients.length + record.ccRecipients.length + record.bccRecipients.length === 0) {
      throw new GraphError(400, 'ErrorInvalidRecipients', "At least one recipient is not valid., A message can't be sent because it contains no recipients.");
    }
    mailbox.addMessage(mailbox.folderOf('sentitems'), record);
    mailbox.sentLog.push({
      internetMessageId: record.internetMessageId, sentDateTime: new Date().toISOString(), from: record.from, to: record.toRecipients, cc: record.ccRecipients,
      bcc: record.bccRecipients, replyTo: record.replyTo, subject: record.subject, body: record.body, headers: record.headers, attachments: [], savedToSentItems: true,
    });
    await deliverInternally(ctx.env.state(), raw, [...record.toRecipients, ...record.ccRecipients, ...record.bccRecipients]);
    return empty(202);
  }
  const body = readJsonBody(ctx);
  const message = body.message;
  if (message === null || typeof message !== 'object') throw new GraphError(400, 'ErrorInvalidParameter', "The value of the parameter 'Message' is empty.");
  const mime = composeFromJson(message as Record<string, unknown>, target, mailbox, true);
  await dispatch(ctx, mime, body.saveToSentItems !== false, mime.headers);
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
    throw new GraphError(400, 'ErrorInvalidRecipients', "At least one recipient is not valid., A message can't be sent because it contains no recipients.");
  }
  await dispatch(ctx, mime, true, mime.headers);
  return empty(202);
}

async function saveDraft(ctx: OperationContext, mime: MimeMessage): Promise<MessageRecord> {
  const mailbox = requireMailbox(ctx);
  const record = await createMessageRecord({ raw: buildMime(mime), folderId: '', receivedAt: new Date(), isRead: true, isDraft: true, domain: mailbox.domain });
  return mailbox.addMessage(mailbox.folderOf('drafts'), record);
}

function draftResponse(ctx: OperationContext, mailbox: Mailbox, record: MessageRecord): EmulatorResponse {
  return json(201, { '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${mailbox.upn}')/messages/$entity`, ...messageJson(ctx, record, undefined) });
}

async function createResponseDraft(ctx: OperationContext, kind: ReplyKind): Promise<EmulatorResponse> {
  const original = findMessage(ctx, ctx.params.id ?? '');
  const record = await saveDraft(ctx, composeResponse(ctx, original, kind));
  return draftResponse(ctx, requireMailbox(ctx), record);
}

/** `POST …/messages/{id}/send` for a draft: it leaves Drafts for Sent Items and is delivered. */
async function sendDraft(ctx: OperationContext): Promise<EmulatorResponse> {
  const mailbox = requireMailbox(ctx);
  const target = ctx.target;
  const draft = findMessage(ctx, ctx.params.id ?? '');
  if (target === undefined) throw new Error('send without target');
  if (!draft.isDraft) throw new GraphError(400, 'ErrorInvalidOperation', 'Only draft messages can be sent.');
  const threading = draft.headers.filter((h) => /^(in-reply-to|references|x-)/i.test(h.name));
  const mime: MimeMessage = {
    from: senderOf(target), to: draft.toRecipients, cc: draft.ccRecipients, bcc: draft.bccRecipients, replyTo: draft.replyTo, subject: draft.subject,
    body: draft.body, headers: threading, messageId: draft.internetMessageId, date: new Date(), importance: draft.importance,
    attachments: draft.attachments.filter((a) => a.kind === 'file').map((a) => ({ name: a.name, contentType: a.contentType ?? 'application/octet-stream', content: a.content, isInline: a.isInline, contentId: a.contentId })),
  };
  if (mime.to.length + mime.cc.length + mime.bcc.length === 0) {
    throw new GraphError(400, 'ErrorInvalidRecipients', "At least one recipient is not valid., A message can't be sent because it contains no recipients.");
  }
  mailbox.removeMessage(draft);
  await dispatch(ctx, mime, true, threading);
  return empty(202);
}

export function registerSendRoutes(router: Router<RouteMeta>): void {
  const send = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'outlook', permissions: MAIL_SEND, handler });
  const write = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'outlook', permissions: MAIL_WRITE, handler });
  router.add('POST', '/users/{user}/sendMail', send(sendMail));
  router.add('POST', '/users/{user}/messages', write(async (ctx) => {
    const mailbox = requireMailbox(ctx);
    if (ctx.target === undefined) throw new Error('draft without target');
    const body = readJsonBody(ctx);
    const mime = composeFromJson(body, ctx.target, mailbox, false);
    mime.headers = checkCustomHeaders(body.internetMessageHeaders);
    return draftResponse(ctx, mailbox, await saveDraft(ctx, mime));
  }));
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
