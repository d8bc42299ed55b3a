import { empty, json, type EmulatorResponse } from '../http/emulator-types.ts';
import { GraphError, idMalformed, itemNotFound } from '../http/graph-error.ts';
import { filterPaths, matchesFilter, readProperty } from '../http/odata-filter.ts';
import { parseQueryOptions, type QueryOptions } from '../http/query-options.ts';
import type { Router } from '../http/router.ts';
import { isWellFormedId, newImmutableId, newRestId } from '../state/ids.ts';
import type { Mailbox } from '../state/mailbox.ts';
import type { MessageRecord } from '../state/message-record.ts';
import { checkCustomHeaders, recipientsOf } from './compose-message.ts';
import { readJsonBody, resolveFolder, resolveFolderNamesInFilter } from './mail-folder-routes.ts';
import { attachmentJson, findAttachment, messageFilterView, messageJson, visibleId } from './message-json.ts';
import { requireMailbox, type OperationContext, type RouteMeta } from './operation-context.ts';
import { pageOf } from './paging.ts';
import { MAIL_READ, MAIL_WRITE } from './permissions.ts';

export function findMessage(ctx: OperationContext, id: string): MessageRecord {
  const mailbox = requireMailbox(ctx);
  const record = mailbox.byId.get(id);
  if (record !== undefined) {
    const folder = ctx.params.folder;
    if (folder !== undefined && resolveFolder(mailbox, folder).id !== record.folderId) throw itemNotFound();
    return record;
  }
  if (!isWellFormedId(id)) throw idMalformed();
  throw itemNotFound();
}

/**
 * `$filter` with `$orderby` on messages: every `$orderby` property must also be in the filter, in the same order and
 * before any other, or Exchange answers 400 InefficientFilter (https://learn.microsoft.com/en-us/graph/api/user-list-messages,
 * "Using filter and orderby in the same query").
 */
function checkFilterOrder(options: QueryOptions): void {
  if (options.filter === undefined || options.orderByKeys.length === 0) return;
  const filtered = filterPaths(options.filter);
  const ordered = options.orderByKeys.map((k) => k.path.join('/').toLowerCase());
  if (ordered.some((path, index) => filtered[index] !== path)) {
    throw new GraphError(400, 'InefficientFilter', 'The restriction or sort order is too complex for this operation.');
  }
}

function sortValue(value: unknown): string | number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'string' ? value.toLowerCase() : '';
}

function readPath(entity: unknown, path: string[]): unknown {
  let current = entity;
  for (const segment of path) current = readProperty(current, segment);
  return current;
}

/** Sorts by every `$orderby` key in turn; nested paths such as `from/emailAddress/name` are read through. */
export function sortByKeys<T>(items: T[], keys: QueryOptions['orderByKeys'], view: (item: T) => unknown): T[] {
  if (keys.length === 0) return items;
  const decorated = items.map((item) => ({ item, values: keys.map((k) => sortValue(readPath(view(item), k.path))) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const x = a.values[i] as string | number;
      const y = b.values[i] as string | number;
      if (x === y) continue;
      const order = x < y ? -1 : 1;
      return keys[i]?.descending === true ? -order : order;
    }
    return 0;
  });
  return decorated.map((d) => d.item);
}

function listMessages(ctx: OperationContext, records: MessageRecord[]): EmulatorResponse {
  const options = parseQueryOptions(ctx.op.query);
  checkFilterOrder(options);
  let list = records;
  if (options.filter !== undefined) {
    const filter = resolveFolderNamesInFilter(requireMailbox(ctx), options.filter);
    list = list.filter((r) => matchesFilter(filter, messageFilterView(ctx, r)));
  }
  list = sortByKeys(list, options.orderByKeys, (r) => messageFilterView(ctx, r));
  return json(200, {
    '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${requireMailbox(ctx).upn}')/messages`,
    ...(options.count ? { '@odata.count': list.length } : {}),
    ...pageOf(ctx, list, options.skip, options.top ?? 10, (r) => messageJson(ctx, r, options.select, options.expand)),
  });
}

function getMessage(ctx: OperationContext): EmulatorResponse {
  const record = findMessage(ctx, ctx.params.id ?? '');
  const options = parseQueryOptions(ctx.op.query);
  return json(200, {
    '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${requireMailbox(ctx).upn}')/messages/$entity`,
    ...messageJson(ctx, record, options.select, options.expand),
  });
}

const ALWAYS_WRITABLE = new Set(['isRead', 'categories', 'flag', 'importance', 'inferenceClassification', 'isDeliveryReceiptRequested', 'isReadReceiptRequested']);
const DRAFT_WRITABLE = new Set(['subject', 'body', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo', 'from', 'sender', 'internetMessageHeaders']);
const FLAG_STATUSES = new Set(['notFlagged', 'flagged', 'complete']);

/** PATCH: only some properties change on a received message (https://learn.microsoft.com/en-us/graph/api/message-update). */
function patchMessage(ctx: OperationContext): EmulatorResponse {
  const mailbox = requireMailbox(ctx);
  const record = findMessage(ctx, ctx.params.id ?? '');
  const body = readJsonBody(ctx);
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata.')) continue;
    if (!ALWAYS_WRITABLE.has(key) && !DRAFT_WRITABLE.has(key)) {
      throw new GraphError(400, 'RequestBodyRead', `The property '${key}' does not exist on type 'microsoft.graph.message'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    }
    if (DRAFT_WRITABLE.has(key) && !record.isDraft) {
      throw new GraphError(400, 'ErrorInvalidPropertyUpdateSentMessage', 'Update operation is not supported for this property on a message that has already been sent.');
    }
    applyProperty(record, key, value);
    // An edited MIME draft is sent from its properties, no longer as the MIME it was made from.
    if (DRAFT_WRITABLE.has(key)) record.fromMime = false;
  }
  mailbox.touch(record, new Date());
  return json(200, {
    '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${mailbox.upn}')/messages/$entity`,
    ...messageJson(ctx, record, undefined),
  });
}

function applyProperty(record: MessageRecord, key: string, value: unknown): void {
  const invalid = (): GraphError => new GraphError(400, 'ErrorInvalidRequest', `Invalid value for property '${key}'.`);
  switch (key) {
    case 'isRead':
    case 'isDeliveryReceiptRequested':
    case 'isReadReceiptRequested':
      if (typeof value !== 'boolean') throw invalid();
      record[key] = value;
      return;
    case 'categories':
      if (!Array.isArray(value) || !value.every((c) => typeof c === 'string')) throw invalid();
      record.categories = [...(value as string[])];
      return;
    case 'importance':
      if (value !== 'low' && value !== 'normal' && value !== 'high') throw invalid();
      record.importance = value;
      return;
    case 'inferenceClassification':
      if (value !== 'focused' && value !== 'other') throw invalid();
      record.inferenceClassification = value;
      return;
    case 'flag': {
      const flag = value as Record<string, unknown> | null;
      if (flag === null || typeof flag !== 'object' || (flag.flagStatus !== undefined && !FLAG_STATUSES.has(String(flag.flagStatus)))) throw invalid();
      record.flag = { ...record.flag, ...flag };
      return;
    }
    case 'subject':
      record.subject = String(value);
      return;
    case 'body': {
      const body = value as { contentType?: string; content?: string };
      const html = String(body.contentType ?? 'text').toLowerCase() === 'html';
      record.body = { contentType: html ? 'html' : 'text', content: String(body.content ?? '') };
      record.textBody = html ? String(body.content ?? '').replace(/<[^>]+>/g, ' ') : String(body.content ?? '');
      record.bodyPreview = record.textBody.replace(/\s+/g, ' ').trim().slice(0, 255);
      return;
    }
    case 'toRecipients':
    case 'ccRecipients':
    case 'bccRecipients':
    case 'replyTo':
      record[key] = recipientsOf(value, key);
      return;
    case 'from':
    case 'sender':
      record[key] = recipientsOf([value], key)[0] ?? null;
      return;
    case 'internetMessageHeaders':
      record.headers = [...record.headers.filter((h) => !/^x-/i.test(h.name)), ...checkCustomHeaders(value)];
      return;
    default:
      throw invalid();
  }
}

/** DELETE moves to Deleted Items; deleting from Deleted Items removes for good. */
function deleteMessage(ctx: OperationContext): EmulatorResponse {
  const mailbox = requireMailbox(ctx);
  const record = findMessage(ctx, ctx.params.id ?? '');
  const deleted = mailbox.folderOf('deleteditems');
  if (record.folderId === deleted.id) mailbox.removeMessage(record);
  else mailbox.moveMessage(record, deleted, new Date());
  return empty(204);
}

function moveOrCopy(ctx: OperationContext, copy: boolean): EmulatorResponse {
  const mailbox = requireMailbox(ctx);
  const record = findMessage(ctx, ctx.params.id ?? '');
  const destinationId = readJsonBody(ctx).destinationId;
  if (typeof destinationId !== 'string' || destinationId === '') {
    throw new GraphError(400, 'ErrorInvalidRequest', 'The destinationId parameter is required.');
  }
  const target = resolveFolder(mailbox, destinationId);
  let result: MessageRecord;
  if (copy) {
    result = { ...record, immutableId: newImmutableId(), restId: newRestId(), categories: [...record.categories], flag: { ...record.flag } };
    mailbox.addMessage(target, result);
  } else {
    result = mailbox.moveMessage(record, target, new Date());
  }
  return json(201, {
    '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${mailbox.upn}')/messages/$entity`,
    ...messageJson(ctx, result, undefined),
  });
}

function allFolderMessages(mailbox: Mailbox): MessageRecord[] {
  return mailbox.allMessages();
}

export function registerMessageRoutes(router: Router<RouteMeta>): void {
  const read = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'outlook', permissions: MAIL_READ, handler });
  const write = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'outlook', permissions: MAIL_WRITE, handler });
  router.add('GET', '/users/{user}/messages/delta', read(() => {
    // Message delta is per folder only (https://learn.microsoft.com/en-us/graph/api/message-delta).
    throw new GraphError(400, 'ErrorInvalidRequest', "Change tracking is not supported against 'microsoft.graph.message'.");
  }));
  router.add('GET', '/users/{user}/messages', read((ctx) => listMessages(ctx, allFolderMessages(requireMailbox(ctx)))));
  router.add('GET', '/users/{user}/mailFolders/{folder}/messages', read((ctx) => {
    const mailbox = requireMailbox(ctx);
    return listMessages(ctx, mailbox.sortedMessages(resolveFolder(mailbox, ctx.params.folder ?? '')));
  }));
  for (const prefix of ['/users/{user}/messages/{id}', '/users/{user}/mailFolders/{folder}/messages/{id}']) {
    router.add('GET', prefix, read(getMessage));
    router.add('PATCH', prefix, write(patchMessage));
    router.add('DELETE', prefix, write(deleteMessage));
    router.add('GET', `${prefix}/$value`, read((ctx) => {
      const record = findMessage(ctx, ctx.params.id ?? '');
      // Exchange cannot make MIME of some items (rights-protected / IRM, opaque-signed or encrypted S/MIME under app-only
      // access): the same 500 on every attempt, while a GET of the item's properties works (README, "Mail Graph cannot
      // convert"). Inside a $batch the item gets the same status and body.
      if (record.mimeUnconvertible === true) throw new GraphError(500, 'ErrorMimeContentConversionFailed', 'MIME content conversion failed.');
      // $value is the MIME stream as text/plain, not JSON (https://learn.microsoft.com/en-us/graph/api/message-get, example 4).
      return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: record.raw };
    }));
    router.add('POST', `${prefix}/move`, write((ctx) => moveOrCopy(ctx, false)));
    router.add('POST', `${prefix}/copy`, write((ctx) => moveOrCopy(ctx, true)));
    router.add('GET', `${prefix}/attachments`, read((ctx) => {
      const record = findMessage(ctx, ctx.params.id ?? '');
      const options = parseQueryOptions(ctx.op.query);
      const value = record.attachments.map((a) => {
        const full = attachmentJson(ctx, record, a, true);
        if (options.select === undefined) return full;
        return Object.fromEntries(Object.entries(full).filter(([k]) => k.startsWith('@odata.') || k === 'id' || options.select?.has(k.toLowerCase())));
      });
      return json(200, { '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${requireMailbox(ctx).upn}')/messages('${visibleId(ctx, record)}')/attachments`, value });
    }));
    router.add('GET', `${prefix}/attachments/{attachment}`, read((ctx) => {
      const record = findMessage(ctx, ctx.params.id ?? '');
      const attachment = findAttachment(ctx, record, ctx.params.attachment ?? '');
      if (attachment === undefined) throw itemNotFound();
      return json(200, {
        '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${requireMailbox(ctx).upn}')/messages('${visibleId(ctx, record)}')/attachments/$entity`,
        ...attachmentJson(ctx, record, attachment, true),
      });
    }));
    router.add('GET', `${prefix}/attachments/{attachment}/$value`, read((ctx) => {
      const record = findMessage(ctx, ctx.params.id ?? '');
      const attachment = findAttachment(ctx, record, ctx.params.attachment ?? '');
      if (attachment === undefined) throw itemNotFound();
      const contentType = attachment.kind === 'item' ? 'message/rfc822' : (attachment.contentType ?? 'application/octet-stream');
      return { status: 200, headers: { 'Content-Type': contentType }, body: attachment.content };
    }));
  }
}
