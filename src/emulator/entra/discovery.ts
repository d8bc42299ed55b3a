import type { EmulatorResponse } from '../http/emulator-types.ts';
import type { TenantState } from '../state/tenant-state.ts';
import { malformedTenant, OAuthError, unknownTenant } from './oauth-error.ts';

const MULTI_TENANT = new Set(['common', 'organizations']);

/**
 * Accepts the tenant as GUID or verified domain (and `common`/`organizations`, which resolve to the one tenant).
 * Unknown → AADSTS90002, not a GUID or DNS name → AADSTS900023.
 */
export function checkTenantSegment(state: TenantState, segment: string): void {
  if (state.matchesTenant(segment) || MULTI_TENANT.has(segment.toLowerCase())) return;
  const looksValid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment) || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(segment);
  throw looksValid ? unknownTenant(segment) : malformedTenant(segment);
}

/** The tenant-specific v2.0 OpenID configuration; `issuer` has the authority's origin so msal-node 7 accepts it. */
export function openIdConfiguration(url: string, state: TenantState, segment: string): EmulatorResponse {
  try {
    checkTenantSegment(state, segment);
  } catch (error) {
    if (error instanceof OAuthError && error.aadsts === 90002) {
      // Discovery answers an unknown tenant with `invalid_tenant`, the token endpoint with `invalid_request`.
      throw new OAuthError(400, 'invalid_tenant', 90002, error.message);
    }
    throw error;
  }
  const tid = state.definition.tenantId;
  const base = `${url}/${tid}`;
  return {
    status: 200,
    headers: { 'Cache-Control': 'max-age=86400, private' },
    body: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${url}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'WW',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    },
  };
}

/** `GET /common/discovery/instance`: the instance-discovery answer msal expects (also usable as `cloudDiscoveryMetadata`). */
export function instanceDiscovery(url: string, state: TenantState): EmulatorResponse {
  const host = new URL(url).host;
  return {
    status: 200,
    body: {
      tenant_discovery_endpoint: `${url}/${state.definition.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    },
  };
}
