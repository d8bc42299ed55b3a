import { AppError } from '../core/index.ts';
import type { GraphClient } from './graph-client-types.ts';
import { userPath } from './user-path.ts';

/** Locale-independent names usable instead of a folder id: https://learn.microsoft.com/en-us/graph/api/resources/mailfolder */
export const wellKnownFolderNames = new Set([
  'archive', 'clutter', 'conflicts', 'conversationhistory', 'deleteditems', 'drafts', 'inbox', 'junkemail', 'localfailures',
  'msgfolderroot', 'outbox', 'recoverableitemsdeletions', 'scheduled', 'searchfolders', 'sentitems', 'serverfailures', 'syncissues',
]);

interface Folder { id: string; displayName: string }

function pick(folders: readonly Folder[], name: string): Folder | undefined {
  // Exact first; then case-insensitive if that is unambiguous (Exchange's own comparison is not documented).
  return folders.find((f) => f.displayName === name)
    ?? (((matches) => (matches.length === 1 ? matches[0] : undefined))(folders.filter((f) => f.displayName.toLowerCase() === name.toLowerCase())));
}

async function listAll(graph: GraphClient, path: string): Promise<Folder[]> {
  const all: Folder[] = [];
  for await (const page of graph.paginate<Folder>(`${path}?$select=id,displayName&$top=100`)) all.push(...page);
  return all;
}

/**
 * Child-folder listings kept by the lookups of one run, by parent (an id, or a well-known name): the job's folder
 * and its post-action folders mostly share a parent (Inbox/Support, Inbox/Processed, Inbox/Failed), and each parent
 * is then listed once. A name missing from a kept listing is looked for in a fresh one before it counts as missing.
 */
export type FolderListings = Map<string, Promise<Folder[]>>;

/**
 * Resolves a configured folder path such as `Inbox/Support` to the folder id. The first segment goes through
 * well-known names, because default folders' display names are localised ("Posteingang"); further segments are
 * matched among childFolders by displayName. https://learn.microsoft.com/en-us/graph/api/mailfolder-list-childfolders
 * With `listings` (one run's lookups), a well-known first segment followed by more is not fetched on its own: Graph
 * takes the well-known name wherever a folder id goes (https://learn.microsoft.com/en-us/graph/api/resources/mailfolder),
 * so its childFolders are listed by name, and the returned path keeps that segment as configured.
 */
export async function resolveMailFolder(graph: GraphClient, mailbox: string, path: string, listings?: FolderListings): Promise<{ id: string; path: string }> {
  const segments = path.split('/').map((s) => s.trim()).filter((s) => s !== '');
  if (segments.length === 0) throw new AppError('GRAPH_FOLDER_NOT_FOUND', `folder path "${path}" is empty`, { details: { mailbox, path }, hint: 'Give a folder path such as Inbox/Support.' });
  const user = userPath(mailbox);
  const notFound = (segment: string, parent: string | undefined): AppError =>
    new AppError('GRAPH_FOLDER_NOT_FOUND', `mailbox ${mailbox} has no folder "${segment}"${parent ? ` under "${parent}"` : ' at the top level'}`, {
      details: { mailbox, path, missingSegment: segment, ...(parent ? { parent } : {}) },
      hint: `Check the folder path "${path}" against the mailbox in Outlook (names are matched exactly, then ignoring case); the first segment may be a well-known name such as Inbox.`,
    });
  const children = async (parentId: string, name: string): Promise<Folder | undefined> => {
    const url = `${user}/mailFolders/${encodeURIComponent(parentId)}/childFolders`;
    if (!listings) return pick(await listAll(graph, url), name);
    const kept = listings.get(parentId);
    const found = kept ? pick(await kept, name) : undefined;
    if (found) return found;
    const fresh = listAll(graph, url);
    listings.set(parentId, fresh);
    fresh.catch(() => listings.delete(parentId));
    return pick(await fresh, name);
  };
  const [first, ...rest] = segments as [string, ...string[]];
  let current: Folder | undefined;
  if (wellKnownFolderNames.has(first.toLowerCase())) {
    current = listings && rest.length > 0
      ? { id: first.toLowerCase(), displayName: first }
      : await graph.get<Folder>(`${user}/mailFolders/${first.toLowerCase()}?$select=id,displayName`);
  } else {
    current = pick(await listAll(graph, `${user}/mailFolders`), first);
    if (!current) throw notFound(first, undefined);
  }
  // The path as the mailbox spells it, for messages and job results.
  const resolved = [current.displayName];
  for (const segment of rest) {
    const child = await children(current.id, segment);
    if (!child) throw notFound(segment, resolved.join('/'));
    resolved.push(child.displayName);
    current = child;
  }
  return { id: current.id, path: resolved.join('/') };
}
