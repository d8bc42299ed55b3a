import { json, type EmulatorResponse } from '../http/emulator-types.ts';
import { GraphError, idMalformed, itemNotFound } from '../http/graph-error.ts';
import { matchesFilter, type FilterNode } from '../http/odata-filter.ts';
import { applySelect, expandedNames, parseQueryOptions, readOption } from '../http/query-options.ts';
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

/**
 * A folder as Graph renders it (https://learn.microsoft.com/en-us/graph/api/resources/mailfolder), with
 * `sizeInBytes`, the size of the folder and its messages.
 */
export function folderJson(mailbox: Mailbox, folder: MailFolder): Record<string, unknown> {
  let unread = 0;
  let size = 0;
  for (const message of folder.messages.values()) {
    if (!message.isRead) unread++;
    size += message.raw.length;
  }
  return {
    id: folder.id,
    displayName: folder.displayName,
    parentFolderId: folder.parentId === '' ? mailbox.rootId : folder.parentId,
    childFolderCount: folder.childIds.filter((id) => mailbox.folders.get(id)?.hidden !== true).length,
    unreadItemCount: unread,
    totalItemCount: folder.messages.size,
    sizeInBytes: size,
    isHidden: folder.hidden,
  };
}

/**
 * `parentFolderId eq 'inbox'`: a well-known folder name inside `$filter` stands for that folder's id, as it does in a
 * path (https://learn.microsoft.com/en-us/graph/api/resources/mailfolder, "Well-known folder names").
 */
export function resolveFolderNamesInFilter(mailbox: Mailbox, node: FilterNode): FilterNode {
  switch (node.kind) {
    case 'compare': {
      const isParent = (side: FilterNode): boolean => side.kind === 'path' && side.segments.join('/').toLowerCase() === 'parentfolderid';
      const resolve = (side: FilterNode): FilterNode => {
        if (side.kind !== 'literal' || typeof side.value !== 'string' || !WELL_KNOWN_NAMES.has(side.value.toLowerCase())) return side;
        const id = mailbox.wellKnown.get(side.value.toLowerCase());
        return id === undefined ? side : { kind: 'literal', value: id };
      };
      if (isParent(node.left)) return { ...node, right: resolve(node.right) };
      if (isParent(node.right)) return { ...node, left: resolve(node.left) };
      return node;
    }
    case 'logical':
      return { ...node, left: resolveFolderNamesInFilter(mailbox, node.left), right: resolveFolderNamesInFilter(mailbox, node.right) };
    case 'not':
      return { ...node, operand: resolveFolderNamesInFilter(mailbox, node.operand) };
    default:
      return node;
  }
}

/** `$expand=childFolders` on a folder list: each folder with its visible children (one level). */
function withChildren(mailbox: Mailbox, folder: MailFolder, json: Record<string, unknown>, expand: string | undefined): Record<string, unknown> {
  if (!expandedNames(expand).includes('childfolders')) return json;
  const children = folder.childIds.map((id) => mailbox.folders.get(id) as MailFolder).filter((f) => !f.hidden).map((f) => folderJson(mailbox, f));
  return { ...json, childFolders: children };
}

function listChildren(ctx: OperationContext, parent: MailFolder): EmulatorResponse {
  const mailbox = requireMailbox(ctx);
  const options = parseQueryOptions(ctx.op.query);
  const includeHidden = readOption(ctx.op.query, 'includeHiddenFolders') === 'true';
  const filter = options.filter === undefined ? undefined : resolveFolderNamesInFilter(mailbox, options.filter);
  const folders = parent.childIds
    .map((id) => mailbox.folders.get(id) as MailFolder)
    .filter((f) => includeHidden || !f.hidden)
    .map((f) => ({ folder: f, json: folderJson(mailbox, f) }))
    .filter(({ json: f }) => filter === undefined || matchesFilter(filter, f));
  return json(200, {
    '@odata.context': `${ctx.env.url}/v1.0/$metadata#users('${mailbox.upn}')/mailFolders`,
    ...(options.count ? { '@odata.count': folders.length } : {}),
    ...pageOf(ctx, folders, options.skip, options.top ?? 10, ({ folder, json: f }) => applySelect(withChildren(mailbox, folder, f, options.expand), options.select)),
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
      ...applySelect(withChildren(mailbox, folder, folderJson(mailbox, folder), options.expand), options.select),
    });
  }));
  router.add('GET', '/users/{user}/mailFolders/{folder}/childFolders', read((ctx) =>
    listChildren(ctx, resolveFolder(requireMailbox(ctx), ctx.params.folder ?? '')),
  ));
  router.add('POST', '/users/{user}/mailFolders/{folder}/childFolders', write((ctx) =>
    createChild(ctx, resolveFolder(requireMailbox(ctx), ctx.params.folder ?? '')),
  ));
}
