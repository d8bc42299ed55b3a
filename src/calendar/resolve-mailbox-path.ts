import { AppError } from '../core/index.ts';
import { escapeODataString, type GraphClient } from '../graph/index.ts';

/**
 * `/users/{address}` or, with `lookupPrincipalName`, `/users/{object id}` after one `mail eq` lookup: some tenants'
 * mail addresses differ from the UPN that /users/{upn} accepts. https://learn.microsoft.com/en-us/graph/aad-advanced-queries
 */
export function createMailboxPathResolver(graph: GraphClient, lookup: boolean, signal?: AbortSignal): (address: string) => Promise<string> {
  const cache = new Map<string, string>();
  return async (address) => {
    if (!lookup) return `/users/${encodeURIComponent(address)}`;
    const cached = cache.get(address);
    if (cached) return cached;
    const filter = encodeURIComponent(`mail eq '${escapeODataString(address)}'`);
    const page = await graph.get<{ value?: { id?: string }[] }>(`/users?$filter=${filter}&$select=id,userPrincipalName,mail`, signal ? { signal } : {});
    const id = page.value?.[0]?.id;
    if (typeof id !== 'string') {
      throw new AppError('GRAPH_MAILBOX_NOT_ENABLED', `no user in the tenant has the mail address ${address}`, {
        details: { mailbox: address },
        hint: 'Check the address, or set lookupPrincipalName to false if addresses equal UPNs.',
      });
    }
    const path = `/users/${encodeURIComponent(id)}`;
    cache.set(address, path);
    return path;
  };
}
