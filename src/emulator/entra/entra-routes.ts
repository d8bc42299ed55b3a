import type { EmulatorResponse } from '../http/emulator-types.ts';
import { Router } from '../http/router.ts';
import { checkTenantSegment, instanceDiscovery, openIdConfiguration } from './discovery.ts';
import { OAuthError, oauthErrorResponse } from './oauth-error.ts';
import { handleDeviceCodeRequest, handleTokenRequest, type EntraContext } from './token-endpoint.ts';
import { handleAuthorize, handleAuthorizeApproval } from './authorize-endpoint.ts';

export interface EntraRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: Buffer;
}

type EntraHandler = (ctx: EntraContext, request: EntraRequest) => EmulatorResponse | Promise<EmulatorResponse>;

const form = (request: EntraRequest): URLSearchParams => new URLSearchParams(request.body.toString('utf8'));

export function createEntraRouter(): Router<EntraHandler> {
  const router = new Router<EntraHandler>();
  router.add('GET', '/common/discovery/instance', (ctx) => instanceDiscovery(ctx.url, ctx.state));
  router.add('GET', '/{tenant}/v2.0/.well-known/openid-configuration', (ctx, r) => openIdConfiguration(ctx.url, ctx.state, r.params.tenant ?? ''));
  router.add('GET', '/{tenant}/discovery/v2.0/keys', (ctx, r) => {
    checkTenantSegment(ctx.state, r.params.tenant ?? '');
    return { status: 200, body: ctx.key.jwks };
  });
  router.add('POST', '/{tenant}/oauth2/v2.0/token', (ctx, r) => {
    checkTenantSegment(ctx.state, r.params.tenant ?? '');
    return handleTokenRequest(ctx, r.params.tenant ?? '', form(r), r.headers.authorization);
  });
  router.add('POST', '/{tenant}/oauth2/v2.0/devicecode', (ctx, r) => {
    checkTenantSegment(ctx.state, r.params.tenant ?? '');
    return handleDeviceCodeRequest(ctx, form(r));
  });
  router.add('GET', '/{tenant}/oauth2/v2.0/authorize', (ctx, r) => {
    checkTenantSegment(ctx.state, r.params.tenant ?? '');
    return handleAuthorize(ctx, r.params.tenant ?? '', r.query);
  });
  router.add('POST', '/{tenant}/oauth2/v2.0/authorize/approve', (ctx, r) => {
    checkTenantSegment(ctx.state, r.params.tenant ?? '');
    return handleAuthorizeApproval(ctx, form(r));
  });
  router.add('GET', '/devicelogin', (ctx) => ({
    status: 200,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    body: `Mailroom Graph emulator: there is no browser sign-in here.\nApprove a device code with:\n  curl --cacert <caFile> -X POST ${ctx.url}/_emulator/device/approve -H 'Content-Type: application/json' -d '{"userCode":"<code>","upn":"alice@contoso.example"}'\nPending codes: GET ${ctx.url}/_emulator/device/pending\n`,
  }));
  return router;
}

export async function runEntraHandler(handler: EntraHandler, ctx: EntraContext, request: EntraRequest): Promise<EmulatorResponse> {
  try {
    return await handler(ctx, request);
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorResponse(error, request.query.get('client-request-id') ?? request.headers['client-request-id']);
    throw error;
  }
}

/** What an injected fault looks like on the token endpoint (transient AADSTS90033 for 429/5xx). */
export function entraFault(status: number, retryAfter: number | undefined): EmulatorResponse {
  const error = status === 401
    ? new OAuthError(401, 'invalid_client', 7000215, 'Invalid client secret provided (injected fault).')
    : new OAuthError(status, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.');
  const response = oauthErrorResponse(error, undefined);
  return { ...response, headers: { ...response.headers, ...(retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) }) } };
}
