import type { BatchRequest } from '../graph-client-types.ts';
import { userPath } from '../user-path.ts';

/**
 * Every message id we send and receive is the immutable one, so a mail keeps its id when it is moved (a post-action,
 * a person in Outlook): https://learn.microsoft.com/graph/outlook-immutable-id
 */
export const immutableIdPreference = 'IdType="ImmutableId"';

export interface MessageRef {
  mailbox: string;
  /** The immutable Graph id. */
  messageId: string;
}

export function messagePath({ mailbox, messageId }: MessageRef): string {
  return `${userPath(mailbox)}/messages/${encodeURIComponent(messageId)}`;
}

/** The raw MIME of a message: https://learn.microsoft.com/graph/outlook-get-mime-message */
export function messageValueRequest(options: MessageRef & { requestId?: string }): BatchRequest & { id: string } {
  return { id: options.requestId ?? '1', method: 'GET', url: `${messagePath(options)}/$value`, headers: { Prefer: immutableIdPreference } };
}

/** A message's own properties, e.g. to tell a passing 404 on `$value` from a mail that is really gone. */
export function messageByIdRequest(options: MessageRef & { select?: readonly string[]; requestId?: string }): BatchRequest & { id: string } {
  const select = options.select && options.select.length > 0 ? `?$select=${options.select.join(',')}` : '';
  return { id: options.requestId ?? '1', method: 'GET', url: `${messagePath(options)}${select}`, headers: { Prefer: immutableIdPreference } };
}

/**
 * Read, flag and category changes in one PATCH. `categories` replaces the whole list on the message.
 * https://learn.microsoft.com/graph/api/message-update
 */
export function messagePatchRequest(options: MessageRef & { requestId: string; changes: Record<string, unknown> }): BatchRequest & { id: string } {
  return { id: options.requestId, method: 'PATCH', url: messagePath(options), body: options.changes, headers: { 'Content-Type': 'application/json', Prefer: immutableIdPreference } };
}

/** https://learn.microsoft.com/graph/api/message-move */
export function messageMoveRequest(options: MessageRef & { requestId: string; destinationFolderId: string; dependsOn?: string[] }): BatchRequest & { id: string } {
  return {
    id: options.requestId, method: 'POST', url: `${messagePath(options)}/move`, body: { destinationId: options.destinationFolderId },
    headers: { 'Content-Type': 'application/json', Prefer: immutableIdPreference },
    ...(options.dependsOn && options.dependsOn.length > 0 ? { dependsOn: options.dependsOn } : {}),
  };
}
