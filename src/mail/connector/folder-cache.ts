import { resolveMailFolder, type GraphClient } from '../../graph/index.ts';

/** Resolves folder paths once per run: post-actions name folders by path, Graph wants ids. */
export function createFolderCache(graph: GraphClient, mailbox: string): (path: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (path) => {
    let id = cache.get(path);
    if (!id) {
      id = resolveMailFolder(graph, mailbox, path).then((folder) => folder.id);
      cache.set(path, id);
      id.catch(() => cache.delete(path));
    }
    return id;
  };
}
