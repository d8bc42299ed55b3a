import { escapeODataString } from '../escape-odata-string.ts';
import { userPath } from '../user-path.ts';

export interface FindMessageRequestOptions {
  mailbox: string;
  /** With angle brackets, as Graph reports it. */
  internetMessageId: string;
  /** Folder id or well-known name (`drafts`, `sentitems`). */
  folder: string;
}

export interface FindMessageRequest {
  method: 'GET';
  path: string;
  headers: Record<string, string>;
}

/**
 * Looks a message up by its Message-ID in one folder: `$filter=internetMessageId eq '…'`, `$select=id,isDraft`,
 * immutable ids (https://learn.microsoft.com/en-us/graph/api/user-list-messages;
 * https://learn.microsoft.com/en-us/graph/outlook-immutable-id).
 */
export function findMessageRequest(options: FindMessageRequestOptions): FindMessageRequest {
  const filter = encodeURIComponent(`internetMessageId eq '${escapeODataString(options.internetMessageId)}'`);
  return {
    method: 'GET',
    path: `${userPath(options.mailbox)}/mailFolders/${encodeURIComponent(options.folder)}/messages?$filter=${filter}&$select=id,isDraft&$top=1`,
    headers: { Prefer: 'IdType="ImmutableId"' },
  };
}
