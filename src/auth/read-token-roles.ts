export interface TokenRoles {
  /** Application permissions (app-only tokens). Empty when an administrator has not consented. */
  roles: string[];
  /** Delegated scopes (tokens acquired for a signed-in person). */
  scp: string[];
  tid?: string;
  appid?: string;
  /** Expiry, seconds since the epoch. */
  exp?: number;
}

/**
 * Reads the permissions out of an access token. MSAL reports neither roles nor tenant for client credentials, and
 * Graph tokens carry a header nonce that makes their signature unverifiable to us, so the payload is only decoded,
 * never trusted for anything but diagnostics.
 * https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference
 */
export function readTokenRoles(token: string): TokenRoles {
  const payload = token.split('.')[1];
  let claims: Record<string, unknown> = {};
  if (payload !== undefined) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (parsed !== null && typeof parsed === 'object') claims = parsed as Record<string, unknown>;
    } catch {
      // An opaque (non-JWT) token: nothing to read, which the caller reports as "no roles".
    }
  }
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  const result: TokenRoles = {
    roles: strings(claims.roles),
    scp: typeof claims.scp === 'string' ? claims.scp.split(' ').filter((s) => s !== '') : [],
  };
  if (typeof claims.tid === 'string') result.tid = claims.tid;
  // v1.0 tokens (what Graph gets) say appid; v2.0 tokens say azp.
  const appid = typeof claims.appid === 'string' ? claims.appid : typeof claims.azp === 'string' ? claims.azp : undefined;
  if (appid !== undefined) result.appid = appid;
  if (typeof claims.exp === 'number') result.exp = claims.exp;
  return result;
}
