import { userPath } from '../user-path.ts';

export interface CreateDraftRequestOptions {
  /** The mailbox the draft is made in (and later sent from). */
  mailbox: string;
  /** The whole message as MIME text; its headers (our Message-ID among them) stay as written. */
  mime: string;
  /** Folder id or well-known name; default `drafts`. */
  folder?: string;
}

export interface CreateDraftRequest {
  method: 'POST';
  path: string;
  /** Base64 MIME, sent with Content-Type text/plain. */
  body: string;
  headers: Record<string, string>;
}

/**
 * Creates a draft from MIME: `POST /users/{m}/mailFolders/{folder}/messages` with the base64 MIME as text/plain
 * (https://learn.microsoft.com/en-us/graph/api/user-post-messages, "Create a message in MIME format";
 * https://learn.microsoft.com/en-us/graph/api/mailfolder-post-messages). `Prefer: IdType="ImmutableId"` makes the
 * answer's id the immutable one, which then also names the Sent Items copy after the send
 * (https://learn.microsoft.com/en-us/graph/outlook-immutable-id, "Immutable ID with sending mail").
 * Not idempotent: a resent create makes a second draft, so callers look for their draft by Message-ID first.
 */
export function createDraftRequest(options: CreateDraftRequestOptions): CreateDraftRequest {
  return {
    method: 'POST',
    path: `${userPath(options.mailbox)}/mailFolders/${encodeURIComponent(options.folder ?? 'drafts')}/messages`,
    body: Buffer.from(options.mime, 'utf8').toString('base64'),
    headers: { 'Content-Type': 'text/plain', Prefer: 'IdType="ImmutableId"' },
  };
}
