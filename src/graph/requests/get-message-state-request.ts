import { userPath } from '../user-path.ts';

export interface GetMessageStateRequestOptions {
  mailbox: string;
  /** An immutable id. */
  id: string;
}

export interface GetMessageStateRequest {
  method: 'GET';
  path: string;
  headers: Record<string, string>;
}

/** `GET /users/{m}/messages/{id}?$select=id,isDraft,parentFolderId` by immutable id (https://learn.microsoft.com/en-us/graph/api/message-get). */
export function getMessageStateRequest(options: GetMessageStateRequestOptions): GetMessageStateRequest {
  return {
    method: 'GET',
    path: `${userPath(options.mailbox)}/messages/${encodeURIComponent(options.id)}?$select=id,isDraft,parentFolderId`,
    headers: { Prefer: 'IdType="ImmutableId"' },
  };
}
