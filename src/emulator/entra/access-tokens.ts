import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { GraphError } from '../http/graph-error.ts';
import type { AppRecord, TenantState } from '../state/tenant-state.ts';
import type { SigningKey } from './signing-key.ts';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const TOKEN_LIFETIME_SECONDS = 3599;

/** Who is calling Graph: an application (app-only, `roles`) or a user through an application (delegated, `scp`). */
export interface Principal {
  kind: 'app' | 'user';
  appId: string;
  app: AppRecord;
  /** Granted application roles or delegated scopes. */
  permissions: Set<string>;
  userId: string | undefined;
  upn: string | undefined;
  expiresAt: number;
}

export interface IssueOptions {
  app: AppRecord;
  tenant: TenantState;
  /** 1 = secret, 2 = certificate, 0 = public client. */
  appidacr: '0' | '1' | '2';
  user?: { id: string; upn: string; name: string };
  scopes?: string[];
  lifetimeSeconds?: number;
}

/**
 * A v1.0-format Graph access token, as Entra issues for Graph even on the v2.0 endpoint
 * (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference).
 * `roles` is omitted when nothing is granted (app without admin consent).
 */
export async function issueAccessToken(key: SigningKey, options: IssueOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const tid = options.tenant.definition.tenantId;
  const sts = `https://sts.windows.net/${tid}/`;
  const claims: Record<string, unknown> = {
    aud: GRAPH_RESOURCE,
    iss: sts,
    iat: now,
    nbf: now,
    exp: now + (options.lifetimeSeconds ?? TOKEN_LIFETIME_SECONDS),
    app_displayname: options.app.def.displayName,
    appid: options.app.def.clientId,
    appidacr: options.appidacr,
    idp: sts,
    tid,
    uti: randomBytes(16).toString('base64url'),
    ver: '1.0',
  };
  if (options.user === undefined) {
    claims.idtyp = 'app';
    claims.oid = options.app.servicePrincipalId;
    claims.sub = options.app.servicePrincipalId;
    const roles = options.app.def.adminConsent ? (options.app.def.applicationPermissions ?? []) : [];
    if (roles.length > 0) claims.roles = roles;
  } else {
    claims.idtyp = 'user';
    claims.oid = options.user.id;
    claims.sub = options.user.id;
    claims.upn = options.user.upn;
    claims.unique_name = options.user.upn;
    claims.name = options.user.name;
    claims.scp = (options.scopes ?? []).join(' ');
  }
  return new SignJWT(claims)
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: key.kid, x5t: key.kid, nonce: randomUUID() } as never)
    .sign(key.privateKey);
}

const emptyToken = (): GraphError => new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');

/** Verifies a bearer token for Graph and caches the result by token string. */
export class TokenVerifier {
  readonly #cache = new Map<string, Principal>();
  readonly #key: SigningKey;
  readonly #tenant: () => TenantState;

  constructor(key: SigningKey, tenant: () => TenantState) {
    this.#key = key;
    this.#tenant = tenant;
  }

  clear(): void {
    this.#cache.clear();
  }

  async verify(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(.*)$/i.exec(authorization ?? '');
    const token = match?.[1]?.trim() ?? '';
    if (token === '') throw emptyToken();
    const cached = this.#cache.get(token);
    if (cached !== undefined) {
      if (cached.expiresAt * 1000 <= Date.now()) throw expired();
      return cached;
    }
    if (token.split('.').length !== 3) {
      throw new GraphError(401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217');
    }
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.#key.publicKey, { algorithms: ['RS256'] }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw expired();
      throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid signature.');
    }
    const tenant = this.#tenant();
    if (payload.aud !== GRAPH_RESOURCE && payload.aud !== GRAPH_APP_ID) {
      throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    }
    if (payload.tid !== tenant.definition.tenantId) {
      throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid issuer.');
    }
    const app = tenant.apps.get(String(payload.appid).toLowerCase());
    if (app === undefined) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    const isUser = payload.idtyp === 'user';
    const permissions = isUser
      ? new Set(String(payload.scp ?? '').split(' ').filter((s) => s !== ''))
      : new Set(Array.isArray(payload.roles) ? (payload.roles as string[]) : []);
    const principal: Principal = {
      kind: isUser ? 'user' : 'app',
      appId: app.def.clientId,
      app,
      permissions,
      userId: isUser ? String(payload.oid) : undefined,
      upn: isUser ? String(payload.upn).toLowerCase() : undefined,
      expiresAt: Number(payload.exp),
    };
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(token, principal);
    return principal;
  }
}

function expired(): GraphError {
  return new GraphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', {
    'WWW-Authenticate':
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  });
}
