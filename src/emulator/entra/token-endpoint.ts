import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { EmulatorResponse } from '../http/emulator-types.ts';
import type { AppRecord, DirectoryObject, TenantState } from '../state/tenant-state.ts';
import { GRAPH_APP_ID, GRAPH_RESOURCE, issueAccessToken, TOKEN_LIFETIME_SECONDS } from './access-tokens.ts';
import { pkceChallenge } from './auth-code-flow.ts';
import { verifyClientAssertion } from './client-assertion.ts';
import type { DeviceFlow } from './device-flow.ts';
import { OAuthError, unknownApplication } from './oauth-error.ts';
import type { SigningKey } from './signing-key.ts';

export interface EntraContext {
  url: string;
  state: TenantState;
  key: SigningKey;
  deviceFlow: DeviceFlow;
  deviceCodeIntervalSeconds: number;
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const NO_STORE = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' };

export function findApp(ctx: EntraContext, clientId: string | null): AppRecord {
  if (clientId === null || clientId === '') {
    throw new OAuthError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  }
  const app = ctx.state.apps.get(clientId.toLowerCase());
  if (app === undefined) throw unknownApplication(clientId, ctx.state.definition.tenantId);
  return app;
}

/** Client credentials need exactly one `<resource>/.default` scope (AADSTS1002012 otherwise). */
function checkAppScope(scope: string | null): void {
  const scopes = (scope ?? '').split(' ').filter((s) => s !== '');
  const only = scopes[0];
  if (scopes.length !== 1 || only === undefined || !only.endsWith('/.default')) {
    throw new OAuthError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
  }
  const resource = only.slice(0, -'/.default'.length).replace(/\/$/, '').toLowerCase();
  if (resource !== GRAPH_RESOURCE && resource !== GRAPH_APP_ID) {
    throw new OAuthError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
  }
}

/** Checks a secret the way Entra reports it: the secret's id sent as value, expired, or simply wrong. */
function checkSecret(app: AppRecord, secret: string): void {
  const secrets = app.def.secrets ?? [];
  const byValue = secrets.find((s) => s.value === secret);
  if (byValue !== undefined) {
    if (Date.parse(byValue.expires) <= Date.now()) {
      throw new OAuthError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${app.def.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`);
    }
    return;
  }
  throw new OAuthError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.def.clientId}'.`);
}

async function authenticateClient(ctx: EntraContext, app: AppRecord, form: URLSearchParams, basicSecret: string | undefined, tenantSegment: string, required: boolean): Promise<'0' | '1' | '2'> {
  const secret = form.get('client_secret') ?? basicSecret;
  const assertion = form.get('client_assertion');
  if (secret !== undefined && secret !== null) {
    checkSecret(app, secret);
    return '1';
  }
  if (assertion !== null) {
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      throw new OAuthError(400, 'invalid_request', 70002, "The 'client_assertion_type' parameter is missing or invalid.");
    }
    const tid = ctx.state.definition.tenantId.toLowerCase();
    const urls = [tenantSegment.toLowerCase(), tid].map((t) => `${ctx.url}/${t}/oauth2/v2.0/token`.toLowerCase());
    await verifyClientAssertion(assertion, app, urls);
    return '2';
  }
  if (required || app.def.allowPublicClient !== true) {
    throw new OAuthError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  return '0';
}

/** Delegated scopes named bare ("Mail.Read") or with the Graph resource prefix; OIDC scopes are not permissions. */
export function delegatedScopes(scope: string | null): { permissions: string[]; all: boolean } {
  const permissions: string[] = [];
  let all = false;
  for (const raw of (scope ?? '').split(' ').filter((s) => s !== '')) {
    if (OIDC_SCOPES.has(raw.toLowerCase())) continue;
    const name = raw.replace(/^https:\/\/graph\.microsoft\.com\//i, '').replace(/^00000003-0000-0000-c000-000000000000\//i, '');
    if (name === '.default') {
      all = true;
      continue;
    }
    if (name.includes('/') || !/^[A-Za-z]+(\.[A-Za-z]+)+$/.test(name)) {
      throw new OAuthError(400, 'invalid_scope', 70011, `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${raw} is not valid.`);
    }
    permissions.push(name);
  }
  return { permissions, all };
}

export function consentedScopes(app: AppRecord, requested: { permissions: string[]; all: boolean }): string[] {
  const granted = app.def.delegatedPermissions ?? [];
  const missing = requested.permissions.filter((p) => !granted.some((g) => g.toLowerCase() === p.toLowerCase()));
  if (!app.def.adminConsent || missing.length > 0) {
    throw new OAuthError(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${app.def.clientId}' named '${app.def.displayName}'. Send an interactive authorization request for this user and resource.`);
  }
  return granted;
}

async function delegatedTokens(ctx: EntraContext, app: AppRecord, user: DirectoryObject, scopes: string[], appidacr: '0' | '1' | '2', idClaims: Record<string, unknown> = {}): Promise<EmulatorResponse> {
  const name = user.user?.displayName ?? user.room?.displayName ?? user.upn;
  const accessToken = await issueAccessToken(ctx.key, { app, tenant: ctx.state, appidacr, user: { id: user.id, upn: user.upn, name }, scopes });
  const tid = ctx.state.definition.tenantId;
  const now = Math.floor(Date.now() / 1000);
  const idToken = await new SignJWT({ aud: app.def.clientId, iss: `${ctx.url}/${tid}/v2.0`, iat: now, nbf: now, exp: now + 3600, name, oid: user.id, preferred_username: user.upn, sub: user.id, tid, ver: '2.0', uti: randomUUID(), ...idClaims })
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: ctx.key.kid })
    .sign(ctx.key.privateKey);
  const refreshToken = ctx.deviceFlow.issueRefreshToken({ clientId: app.def.clientId, user, scopes });
  return {
    status: 200,
    headers: NO_STORE,
    body: {
      token_type: 'Bearer',
      scope: [...scopes, 'openid', 'profile', 'email'].join(' '),
      expires_in: TOKEN_LIFETIME_SECONDS,
      ext_expires_in: TOKEN_LIFETIME_SECONDS,
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: idToken,
      client_info: Buffer.from(JSON.stringify({ uid: user.id, utid: tid })).toString('base64url'),
    },
  };
}

function basicSecret(authorization: string | undefined, clientId: string | null): { clientId: string | null; secret: string | undefined } {
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (match?.[1] === undefined) return { clientId, secret: undefined };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return { clientId: clientId ?? decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/** `POST /{tenant}/oauth2/v2.0/token`: client credentials, device code, authorization code (PKCE) and refresh token grants. */
export async function handleTokenRequest(ctx: EntraContext, tenantSegment: string, form: URLSearchParams, authorization: string | undefined): Promise<EmulatorResponse> {
  const basic = basicSecret(authorization, form.get('client_id'));
  const app = findApp(ctx, basic.clientId);
  const grantType = form.get('grant_type');
  if (grantType === 'client_credentials') {
    checkAppScope(form.get('scope'));
    const appidacr = await authenticateClient(ctx, app, form, basic.secret, tenantSegment, true);
    const accessToken = await issueAccessToken(ctx.key, { app, tenant: ctx.state, appidacr });
    return {
      status: 200,
      headers: NO_STORE,
      body: { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS, ext_expires_in: TOKEN_LIFETIME_SECONDS, access_token: accessToken },
    };
  }
  if (grantType === 'urn:ietf:params:oauth:grant-type:device_code' || grantType === 'device_code') {
    const authorizationState = ctx.deviceFlow.byDeviceCode(form.get('device_code') ?? '');
    if (authorizationState === undefined || authorizationState.clientId.toLowerCase() !== app.def.clientId.toLowerCase()) {
      throw new OAuthError(400, 'invalid_grant', 70000, 'The provided value for the input parameter \'device_code\' is not valid.');
    }
    const appidacr = await authenticateClient(ctx, app, form, basic.secret, tenantSegment, false);
    if (authorizationState.expiresAt <= Date.now()) throw new OAuthError(400, 'expired_token', 70020, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
    if (authorizationState.status === 'declined') throw new OAuthError(400, 'authorization_declined', 70000, 'The user has declined the sign-in request.');
    if (authorizationState.status === 'redeemed') throw new OAuthError(400, 'invalid_grant', 70000, 'The provided device code has already been redeemed.');
    if (authorizationState.status === 'pending' || authorizationState.user === undefined) {
      throw new OAuthError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
    }
    const scopes = consentedScopes(app, delegatedScopes(authorizationState.scopes.join(' ')));
    authorizationState.status = 'redeemed';
    return delegatedTokens(ctx, app, authorizationState.user, scopes, appidacr);
  }
  if (grantType === 'authorization_code') {
    const issued = ctx.deviceFlow.authCodes.code(form.get('code') ?? '');
    if (!issued || issued.redeemed || issued.expiresAt <= Date.now() || issued.clientId.toLowerCase() !== app.def.clientId.toLowerCase()) {
      throw new OAuthError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity, or was used already.');
    }
    if (form.get('redirect_uri') !== issued.redirectUri) throw new OAuthError(400, 'invalid_grant', 50148, 'The redirect URI does not match the one of the authorization request.');
    if (pkceChallenge(form.get('code_verifier') ?? '') !== issued.codeChallenge) throw new OAuthError(400, 'invalid_grant', 50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.');
    const appidacr = await authenticateClient(ctx, app, form, basic.secret, tenantSegment, false);
    issued.redeemed = true;
    // Only OpenID scopes: signing a person in needs no Graph permission.
    const requested = delegatedScopes(issued.scopes.join(' '));
    const scopes = requested.permissions.length > 0 || requested.all ? consentedScopes(app, requested) : [];
    return delegatedTokens(ctx, app, issued.user, scopes, appidacr, { ...(issued.nonce ? { nonce: issued.nonce } : {}), ...(issued.roles.length > 0 ? { roles: issued.roles } : {}) });
  }
  if (grantType === 'refresh_token') {
    const grant = ctx.deviceFlow.refreshTokens.get(form.get('refresh_token') ?? '');
    if (grant === undefined || grant.clientId.toLowerCase() !== app.def.clientId.toLowerCase()) {
      throw new OAuthError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    }
    const appidacr = await authenticateClient(ctx, app, form, basic.secret, tenantSegment, false);
    const scopes = consentedScopes(app, delegatedScopes(form.get('scope')));
    return delegatedTokens(ctx, app, grant.user, scopes, appidacr);
  }
  throw new OAuthError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType ?? ''}'.`);
}

/** `POST /{tenant}/oauth2/v2.0/devicecode`. */
export function handleDeviceCodeRequest(ctx: EntraContext, form: URLSearchParams): EmulatorResponse {
  const app = findApp(ctx, form.get('client_id'));
  // Consent is checked when the code is redeemed, as Entra does after the user's sign-in.
  delegatedScopes(form.get('scope'));
  const scopes = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
  const authorization = ctx.deviceFlow.start(app.def.clientId, scopes, 900);
  const verificationUri = `${ctx.url}/devicelogin`;
  return {
    status: 200,
    headers: NO_STORE,
    body: {
      user_code: authorization.userCode,
      device_code: authorization.deviceCode,
      verification_uri: verificationUri,
      expires_in: 900,
      interval: ctx.deviceCodeIntervalSeconds,
      message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${authorization.userCode} to authenticate. (Emulator: POST ${ctx.url}/_emulator/device/approve {"userCode":"${authorization.userCode}","upn":"…"})`,
    },
  };
}
