import type { EmulatorResponse } from '../http/emulator-types.ts';
import type { DirectoryObject } from '../state/tenant-state.ts';
import type { AuthCodeFlow, PendingAuthorization } from './auth-code-flow.ts';
import { OAuthError } from './oauth-error.ts';
import { findApp, type EntraContext } from './token-endpoint.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * `GET /{tenant}/oauth2/v2.0/authorize`: checks the request as Entra does (client, response_type=code, redirect URI,
 * PKCE S256), then shows a sign-in page with the tenant's users. Picking one redirects back with a code.
 */
export function handleAuthorize(ctx: EntraContext, tenantSegment: string, query: URLSearchParams): EmulatorResponse {
  const app = findApp(ctx, query.get('client_id'));
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!/^https?:\/\//.test(redirectUri)) throw new OAuthError(400, 'invalid_request', 900971, 'No reply address provided.');
  if (query.get('response_type') !== 'code') throw new OAuthError(400, 'unsupported_response_type', 700054, "response_type 'id_token' is not enabled for the application.");
  const challenge = query.get('code_challenge');
  if (!challenge || query.get('code_challenge_method') !== 'S256') throw new OAuthError(400, 'invalid_request', 9002325, 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.');
  const pending = ctx.deviceFlow.authCodes.start({
    clientId: app.def.clientId, redirectUri, scopes: (query.get('scope') ?? '').split(' ').filter(Boolean), state: query.get('state') ?? '', nonce: query.get('nonce'), codeChallenge: challenge,
  });
  const users = [...ctx.state.definition.users];
  const action = `${ctx.url}/${escapeHtml(tenantSegment)}/oauth2/v2.0/authorize/approve`;
  const buttons = users.map((u) => `<li><form method="post" action="${action}"><input type="hidden" name="requestId" value="${pending.requestId}"><input type="hidden" name="upn" value="${escapeHtml(u.userPrincipalName)}"><button type="submit">${escapeHtml(u.displayName)} &lt;${escapeHtml(u.userPrincipalName)}&gt;${u.appRoles?.length ? ` (${escapeHtml(u.appRoles.join(', '))})` : ''}</button></form></li>`).join('');
  return {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in (emulated Entra ID)</title></head><body><main><h1>Sign in to ${escapeHtml(app.def.displayName)}</h1><p>Emulated tenant ${escapeHtml(ctx.state.definition.displayName ?? ctx.state.definition.tenantId)}: pick an account.</p><ul>${buttons}</ul></main></body></html>`,
  };
}

/** Where the browser goes after the account is picked: the app's redirect URI with the code and the state. */
export function approveAuthorization(flow: AuthCodeFlow, pending: PendingAuthorization, user: DirectoryObject, roles?: string[]): string {
  const code = flow.approve(pending, user, roles ?? user.user?.appRoles ?? []);
  const location = new URL(pending.redirectUri);
  location.searchParams.set('code', code);
  location.searchParams.set('state', pending.state);
  location.searchParams.set('session_state', pending.requestId);
  return location.toString();
}

/** `POST …/authorize/approve` from the sign-in page's form. */
export function handleAuthorizeApproval(ctx: EntraContext, form: URLSearchParams): EmulatorResponse {
  const pending = ctx.deviceFlow.authCodes.find(form.get('requestId') ?? '');
  if (!pending) throw new OAuthError(400, 'invalid_request', 50058, 'The sign-in request is unknown or was used already.');
  const user = ctx.state.find(form.get('upn') ?? '');
  if (!user || user.kind !== 'user') throw new OAuthError(400, 'invalid_request', 50034, `The user account ${form.get('upn') ?? ''} does not exist in the directory.`);
  return { status: 302, headers: { Location: approveAuthorization(ctx.deviceFlow.authCodes, pending, user) } };
}
