import { createHash, randomBytes } from 'node:crypto';
import type { DirectoryObject } from '../state/tenant-state.ts';

/** A sign-in started at the authorize endpoint, waiting for the person (or a test) to pick an account. */
export interface PendingAuthorization {
  requestId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  nonce: string | null;
  codeChallenge: string;
  createdAt: number;
}

export interface IssuedCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | null;
  codeChallenge: string;
  user: DirectoryObject;
  roles: string[];
  expiresAt: number;
  redeemed: boolean;
}

const CODE_LIFETIME_MS = 10 * 60_000;

/**
 * The authorization code flow with PKCE (S256), as Entra runs it: a pending request per authorize call, a code
 * once an account is picked, redeemed once at the token endpoint with the matching code_verifier.
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
 */
export class AuthCodeFlow {
  readonly #pending = new Map<string, PendingAuthorization>();
  readonly #codes = new Map<string, IssuedCode>();

  start(request: Omit<PendingAuthorization, 'requestId' | 'createdAt'>): PendingAuthorization {
    const pending = { ...request, requestId: randomBytes(12).toString('hex'), createdAt: Date.now() };
    this.#pending.set(pending.requestId, pending);
    return pending;
  }

  find(requestIdOrState: string): PendingAuthorization | undefined {
    return this.#pending.get(requestIdOrState) ?? [...this.#pending.values()].find((p) => p.state === requestIdOrState);
  }

  pending(): PendingAuthorization[] {
    return [...this.#pending.values()];
  }

  /** Picks the account: the request ends and a code for it is handed out (in the redirect). */
  approve(pending: PendingAuthorization, user: DirectoryObject, roles: string[]): string {
    this.#pending.delete(pending.requestId);
    const code = `0.AQEA${randomBytes(48).toString('base64url')}`;
    this.#codes.set(code, { clientId: pending.clientId, redirectUri: pending.redirectUri, scopes: pending.scopes, nonce: pending.nonce, codeChallenge: pending.codeChallenge, user, roles, expiresAt: Date.now() + CODE_LIFETIME_MS, redeemed: false });
    return code;
  }

  code(code: string): IssuedCode | undefined {
    return this.#codes.get(code);
  }
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
