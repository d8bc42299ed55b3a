import { AppError } from '../core/index.ts';
import { escapeODataString } from './escape-odata-string.ts';
import type { GraphTransport } from './graph-transport.ts';

/**
 * For `lookupPrincipalName`: some tenants' mail addresses differ from the UPN Graph accepts in /users/{upn}, so the
 * address is looked up once with `$filter=mail eq '…'` (no ConsistencyLevel needed for eq) and the object id used.
 * https://learn.microsoft.com/en-us/graph/aad-advanced-queries
 */
export function createPrincipalResolver(transport: GraphTransport): (path: string, signal?: AbortSignal) => Promise<string> {
  const cache = new Map<string, Promise<string>>();

  async function lookup(address: string, signal: AbortSignal | undefined): Promise<string> {
    const filter = encodeURIComponent(`mail eq '${escapeODataString(address)}'`);
    const response = await transport.send('GET', `/users?$filter=${filter}&$select=id,userPrincipalName,mail`, { ...(signal ? { signal } : {}) });
    const page = (await response.json()) as { value?: { id?: string }[] };
    const id = page.value?.[0]?.id;
    if (typeof id !== 'string') {
      throw new AppError('GRAPH_MAILBOX_NOT_ENABLED', `no user in the tenant has the mail address ${address}`, {
        details: { mailbox: address },
        hint: 'Check the mailbox address, or turn lookupPrincipalName off if the tenant\'s addresses equal the UPNs.',
      });
    }
    return id;
  }

  return async (path: string, signal?: AbortSignal): Promise<string> => {
    const match = /^\/users\/([^/?]+)(.*)$/s.exec(path);
    if (!match) return path;
    const segment = decodeURIComponent(match[1]!);
    if (!segment.includes('@')) return path;
    const key = segment.toLowerCase();
    let pending = cache.get(key);
    if (!pending) {
      pending = lookup(segment, signal);
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
    }
    return `/users/${await pending}${match[2]!}`;
  };
}
