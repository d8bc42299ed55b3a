import { resolveMailFolder, type FolderListings, type GraphClient } from '../../graph/index.ts';

/**
 * Resolves folder paths once per run: post-actions name folders by path, Graph wants ids. Paths under one parent share
 * its listing: the job's folder and its post-action folders under Inbox cost one request, not two each.
 */
export function createFolderCache(graph: GraphClient, mailbox: string): (path: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  const listings: FolderListings = new Map();
  return (path) => {
    let id = cache.get(path);
    if (!id) {
      id = resolveMailFolder(graph, mailbox, path, listings).then((folder) => folder.id);
      cache.set(path, id);
      id.catch(() => cache.delete(path));
    }
    return id;
  };
}
