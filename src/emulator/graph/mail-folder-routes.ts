import { json, type EmulatorResponse } from '../http/emulator-types.ts';
import { GraphError, idMalformed, itemNotFound } from '../http/graph-error.ts';
import { matchesFilter } from '../http/odata-filter.ts';
import { applySelect, parseQueryOptions, readOption } from '../http/query-options.ts';
import type { Router } from '../http/router.ts';
import { isWellFormedId } from '../state/ids.ts';
import { WELL_KNOWN_NAMES, type Mailbox, type MailFolder } from '../state/mailbox.ts';
import { requireMailbox, type OperationContext, type RouteMeta } from './operation-context.ts';
import { pageOf } from './paging.ts';
import { MAIL_READ, MAIL_WRITE } from './permissions.ts';

/** A folder by id or well-known name (case-insensitive); a display name is not an id (ErrorInvalidIdMalformed). */
export function resolveFolder(mailbox: Mailbox, idOrName: string): MailFolder {
  const lower = idOrName.toLowerCase();
  if (WELL_KNOWN_NAMES.has(lower)) {
    const id = mailbox.wellKnown.get(lower);
    const folder = id === undefined ? undefined : mailbox.folders.get(id);
    if (folder === undefined) throw new GraphError(404, 'ErrorItemNotFound', 'The specified folder could not be found in the store.');
    return folder;
  }
  const folder = mailbox.folders.get(idOrName);
  if (folder !== undefined) return folder;
  if (isWellFormedId(idOrName)) throw itemNotFound();
  throw idMalformed();
}

export function folderJson(mailbox: Mailbox, folder: MailFolder): Record<string, unknown> {
  let unread = 0;
  for (const message of folder.messages.values()) if (!message.isRead) unread++;
  return {
    id: folder.id,
    displayName: folder.displayName,
    parentFolderId: folder.parentId === '' ? mailbox.rootId : folder.parentId,
    childFolderCount: folder.childIds.filter((id) => mailbox.folders.get(id)?.hidden !== true).length,
    unreadItemCount: unread,
    totalItemCount: folder.messages.size,
    isHidden: folder.hidden,
  };
}

function listChildren(ctx: OperationContext, parent: MailFolder): EmulatorResponse {
  const mailbox = requireMailbox(ctx);
  const options = parseQueryOptions(ctx.op.query);
  const includeHidden = readOption(ctx.op.query, 'includeHiddenFolders') === 'true';
  const folders = parent.childIds
    .map((id) => mailbox.folders.get(id) as MailFolder)
    .filter((f) => includeHidden || !f.hidden)
    .map((f) => folderJson(mailbox, f))
    .filter((f) => options.filter === undefined || matchesFilter(options.filter, f));
  return json(200, {
    '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${mailbox.upn}')/mailFolders`,
    ...pageOf(ctx, folders, options.skip, options.top ?? 10, (f) => applySelect(f, options.select)),
  });
}

function createChild(ctx: OperationContext, parent: MailFolder): EmulatorResponse {
  const mailbox = requireMailbox(ctx);
  const body = readJsonBody(ctx);
  const displayName = typeof body.displayName === 'string' ? body.displayName.trim() : '';
  if (displayName === '') throw new GraphError(400, 'ErrorInvalidRequest', 'The displayName of a folder cannot be empty.');
  if (mailbox.childByName(parent.id, displayName) !== undefined) {
    throw new GraphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  }
  const folder = mailbox.createFolder(parent.id, displayName, body.isHidden === true);
  return json(201, { '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${mailbox.upn}')/mailFolders/$entity`, ...folderJson(mailbox, folder) });
}

export function readJsonBody(ctx: OperationContext): Record<string, unknown> {
  if (ctx.op.body.length === 0) return {};
  try {
    const value = JSON.parse(ctx.op.body.toString('utf8')) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new GraphError(400, 'RequestBodyRead', 'Invalid JSON body: the request body must be a JSON object.');
}

export function registerMailFolderRoutes(router: Router<RouteMeta>): void {
  const read = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'outlook', permissions: MAIL_READ, handler });
  const write = (handler: RouteMeta['handler']): RouteMeta => ({ workload: 'outlook', permissions: MAIL_WRITE, handler });
  router.add('GET', '/users/{user}/mailFolders', read((ctx) => {
    const mailbox = requireMailbox(ctx);
    return listChildren(ctx, mailbox.folders.get(mailbox.rootId) as MailFolder);
  }));
  router.add('POST', '/users/{user}/mailFolders', write((ctx) => {
    const mailbox = requireMailbox(ctx);
    return createChild(ctx, mailbox.folders.get(mailbox.rootId) as MailFolder);
  }));
  router.add('GET', '/users/{user}/mailFolders/{folder}', read((ctx) => {
    const mailbox = requireMailbox(ctx);
    const folder = resolveFolder(mailbox, ctx.params.folder ?? '');
    const options = parseQueryOptions(ctx.op.query);
    return json(200, {
      '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${mailbox.upn}')/mailFolders/$entity`,
      ...applySelect(folderJson(mailbox, folder), options.select),
    });
  }));
  router.add('GET', '/users/{user}/mailFolders/{folder}/childFolders', read((ctx) =>
    listChildren(ctx, resolveFolder(requireMailbox(ctx), ctx.params.folder ?? '')),
  ));
  router.add('POST', '/users/{user}/mailFolders/{folder}/childFolders', write((ctx) =>
    createChild(ctx, resolveFolder(requireMailbox(ctx), ctx.params.folder ?? '')),
  ));
}
