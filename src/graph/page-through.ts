import type { DeltaPage, RequestOptions } from './graph-client-types.ts';

type GetJson = <T>(path: string, options?: RequestOptions) => Promise<T>;

interface Page<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/**
 * Follows `@odata.nextLink` verbatim: links are absolute, carry every original query option, and a page may be
 * empty while more follow. https://learn.microsoft.com/en-us/graph/paging
 */
export async function* paginate<T>(getJson: GetJson, path: string, options?: RequestOptions): AsyncIterable<T[]> {
  let next: string | undefined = path;
  while (next !== undefined) {
    const page: Page<T> = await getJson<Page<T>>(next, options);
    yield page.value ?? [];
    next = page['@odata.nextLink'];
  }
}

/**
 * One delta round: pages until one carries `@odata.deltaLink` (saved for the next round). Removed items come as
 * `{id, "@removed": {reason}}`. A stale link fails in the client with GRAPH_SYNC_STATE_GONE (410 or
 * syncStateNotFound / resyncRequired); the caller drops its saved link and starts a new round from the path.
 * https://learn.microsoft.com/en-us/graph/delta-query-overview
 */
export async function* deltaPages<T>(getJson: GetJson, startUrl: string, options?: RequestOptions): AsyncIterable<DeltaPage<T>> {
  let next: string | undefined = startUrl;
  while (next !== undefined) {
    const page: Page<T & { id?: string; '@removed'?: unknown }> = await getJson(next, options);
    const items: T[] = [];
    const removed: string[] = [];
    for (const item of page.value ?? []) {
      if (item['@removed'] !== undefined && typeof item.id === 'string') removed.push(item.id);
      else items.push(item);
    }
    const nextLink = page['@odata.nextLink'] ?? null;
    const deltaLink = nextLink === null ? (page['@odata.deltaLink'] ?? null) : null;
    yield { items, removed, nextLink, deltaLink };
    next = nextLink ?? undefined;
  }
}
