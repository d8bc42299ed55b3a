import type { OperationContext } from './operation-context.ts';
import { stableId } from '../state/ids.ts';
import type { AttachmentRecord, MessageRecord } from '../state/message-record.ts';
import { allExtendedProperties, expandMessageProperties } from './message-extended-properties.ts';

/** The id a caller sees: immutable when it sent `Prefer: IdType="ImmutableId"`, else the REST id. */
export function visibleId(ctx: OperationContext, record: MessageRecord): string {
  if (ctx.prefer.immutableId) ctx.applied.add('IdType="ImmutableId"');
  return ctx.prefer.immutableId ? record.immutableId : record.restId;
}

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const stripScripts = (html: string): string => html.replace(/<script\b[\s\S]*?<\/script\s*>/gi, '');

/**
 * Bodies come as HTML unless `Prefer: outlook.body-content-type="text"` asks for text, whatever the mail was written
 * in (https://learn.microsoft.com/en-us/graph/api/message-get, "Request headers"; acknowledged in Preference-Applied).
 */
function bodyFor(ctx: OperationContext, record: MessageRecord): { contentType: string; content: string } {
  const wanted = ctx.prefer.bodyContentType;
  if (wanted !== undefined) ctx.applied.add(`outlook.body-content-type="${wanted}"`);
  const type = wanted ?? 'html';
  if (type === 'text') return { contentType: 'text', content: record.textBody };
  if (record.body.contentType === 'html') {
    const unsafe = /outlook\.allow-unsafe-html/i.test(ctx.op.headers.prefer ?? '');
    return { contentType: 'html', content: unsafe ? record.body.content : stripScripts(record.body.content) };
  }
  return {
    contentType: 'html',
    content: `<html><head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n<body>\r\n<div dir="ltr">${escapeHtml(record.textBody).replace(/\r?\n/g, '<br>\r\n')}</div>\r\n</body>\r\n</html>\r\n`,
  };
}

/**
 * A message as Graph v1.0 renders it (https://learn.microsoft.com/en-us/graph/api/resources/message).
 * `internetMessageHeaders` and `uniqueBody` appear only when `$select`ed.
 */
export function messageJson(ctx: OperationContext, record: MessageRecord, select: Set<string> | undefined, expand?: string): Record<string, unknown> {
  const id = visibleId(ctx, record);
  const has = (name: string): boolean => select === undefined || select.has(name.toLowerCase());
  const out: Record<string, unknown> = { '@odata.etag': `W/"${record.changeKey}"`, id };
  const put = (name: string, value: () => unknown): void => {
    if (has(name)) out[name] = value();
  };
  put('createdDateTime', () => record.createdDateTime);
  put('lastModifiedDateTime', () => record.lastModifiedDateTime);
  put('changeKey', () => record.changeKey);
  put('categories', () => [...record.categories]);
  put('receivedDateTime', () => record.receivedDateTime);
  put('sentDateTime', () => record.sentDateTime);
  put('hasAttachments', () => record.hasAttachments);
  put('internetMessageId', () => record.internetMessageId);
  put('subject', () => record.subject);
  put('bodyPreview', () => record.bodyPreview);
  put('importance', () => record.importance);
  put('parentFolderId', () => record.folderId);
  put('conversationId', () => record.conversationId);
  put('conversationIndex', () => record.conversationIndex);
  put('isDeliveryReceiptRequested', () => record.isDeliveryReceiptRequested);
  put('isReadReceiptRequested', () => record.isReadReceiptRequested);
  put('isRead', () => record.isRead);
  put('isDraft', () => record.isDraft);
  put('webLink', () => `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`);
  put('inferenceClassification', () => record.inferenceClassification);
  put('body', () => bodyFor(ctx, record));
  put('sender', () => record.sender);
  put('from', () => record.from);
  put('toRecipients', () => record.toRecipients);
  put('ccRecipients', () => record.ccRecipients);
  put('bccRecipients', () => record.bccRecipients);
  put('replyTo', () => record.replyTo);
  put('flag', () => ({ ...record.flag }));
  if (select?.has('internetmessageheaders') === true) out.internetMessageHeaders = record.headers.map((h) => ({ ...h }));
  if (select?.has('uniquebody') === true) out.uniqueBody = bodyFor(ctx, record);
  const expanded = expandMessageProperties(expand, record);
  if (expanded !== undefined) out.singleValueExtendedProperties = expanded;
  return out;
}

/** The cheap properties `$filter` may test, without rendering bodies. */
export function messageFilterView(ctx: OperationContext, record: MessageRecord): Record<string, unknown> {
  return {
    id: ctx.prefer.immutableId ? record.immutableId : record.restId,
    subject: record.subject,
    from: record.from,
    sender: record.sender,
    toRecipients: record.toRecipients,
    ccRecipients: record.ccRecipients,
    receivedDateTime: record.receivedDateTime,
    sentDateTime: record.sentDateTime,
    lastModifiedDateTime: record.lastModifiedDateTime,
    createdDateTime: record.createdDateTime,
    isRead: record.isRead,
    isDraft: record.isDraft,
    hasAttachments: record.hasAttachments,
    importance: record.importance,
    categories: record.categories,
    flag: record.flag,
    internetMessageId: record.internetMessageId,
    conversationId: record.conversationId,
    parentFolderId: record.folderId,
    bodyPreview: record.bodyPreview,
    inferenceClassification: record.inferenceClassification,
    singleValueExtendedProperties: allExtendedProperties(record),
  };
}

export function attachmentId(ctx: OperationContext, record: MessageRecord, attachment: AttachmentRecord): string {
  return stableId('AAMkAGAt', visibleId(ctx, record), String(attachment.index));
}

export function findAttachment(ctx: OperationContext, record: MessageRecord, id: string): AttachmentRecord | undefined {
  return record.attachments.find(
    (a) => stableId('AAMkAGAt', record.restId, String(a.index)) === id || stableId('AAMkAGAt', record.immutableId, String(a.index)) === id,
  );
}

export function attachmentJson(ctx: OperationContext, record: MessageRecord, attachment: AttachmentRecord, withContent: boolean): Record<string, unknown> {
  const base: Record<string, unknown> = {
    '@odata.type': attachment.kind === 'item' ? '#microsoft.graph.itemAttachment' : '#microsoft.graph.fileAttachment',
    '@odata.mediaContentType': attachment.contentType,
    id: attachmentId(ctx, record, attachment),
    lastModifiedDateTime: record.lastModifiedDateTime,
    name: attachment.name,
    contentType: attachment.contentType,
    size: attachment.size,
    isInline: attachment.isInline,
  };
  if (attachment.kind === 'file') {
    base.contentId = attachment.contentId;
    base.contentLocation = null;
    if (withContent) base.contentBytes = attachment.content.toString('base64');
  }
  return base;
}
