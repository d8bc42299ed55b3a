import { userPath } from '../user-path.ts';

export interface SendDraftRequestOptions {
  mailbox: string;
  /** The draft's immutable id, as the create answered it. */
  draftId: string;
}

export interface SendDraftRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  /** Safe to resend: a draft that was sent is no draft any more, so a second send fails instead of mailing twice. */
  idempotent: true;
}

/**
 * Sends a draft by id: `POST /users/{m}/messages/{id}/send`, 202 with no body
 * (https://learn.microsoft.com/en-us/graph/api/message-send). Once sent, the id answers 404 until the Sent Items copy
 * exists, then names that copy (no draft), so sending it again can never deliver a second mail.
 */
export function sendDraftRequest(options: SendDraftRequestOptions): SendDraftRequest {
  return {
    method: 'POST',
    path: `${userPath(options.mailbox)}/messages/${encodeURIComponent(options.draftId)}/send`,
    headers: { Prefer: 'IdType="ImmutableId"' },
    idempotent: true,
  };
}
