import { userPath } from '../user-path.ts';
import { immutableIdPreference } from './message-requests.ts';

/**
 * The first request of a delta round over one mail folder, with the headers every page of the round needs (Graph
 * keeps the query options in the links it returns, not the headers). https://learn.microsoft.com/graph/api/message-delta
 */
export function messageDeltaRequest(options: { mailbox: string; folderId: string; select: readonly string[]; pageSize: number }): { url: string; headers: Record<string, string> } {
  return {
    url: `${userPath(options.mailbox)}/mailFolders/${encodeURIComponent(options.folderId)}/messages/delta?$select=${options.select.join(',')}`,
    headers: { Prefer: `odata.maxpagesize=${options.pageSize}, ${immutableIdPreference}` },
  };
}
