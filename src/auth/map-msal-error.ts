import { AuthError, ServerError } from '@azure/msal-node';
import { AppError, isAppError } from '../core/index.ts';

export interface MsalErrorContext {
  connectionName: string;
  tenantId: string;
  clientId: string;
  authority: string;
  credentialKind: 'secret' | 'certificate';
  /** How the credential is configured, e.g. `env:SUPPORT_SECRET` (never the value). */
  credentialSource: string;
}

/** AADSTS numbers are Entra's stable error identifiers: https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes */
const aadsts = {
  invalidSecret: new Set([7000215]),
  noCredential: new Set([7000218]),
  expiredSecret: new Set([7000222]),
  unknownApplication: new Set([700016]),
  unknownTenant: new Set([90002, 900023, 90072]),
  consent: new Set([65001, 500011, 650056, 650057]),
  scope: new Set([1002012, 70011]),
  certificate: new Set([700027, 700024, 700023, 7000274, 700021]),
};

const networkCodes = new Set(['network_error', 'endpoints_resolution_error', 'openid_config_error', 'no_network_connectivity']);

function firstAppError(error: unknown): AppError | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth += 1) {
    if (isAppError(e)) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function retryAfterMs(error: ServerError): number | undefined {
  // MSAL's throttling cache rejects identical requests locally for Retry-After seconds (graph-behaviour.md §2.4).
  const headers = (error as { headers?: Record<string, string> }).headers;
  const value = headers?.['retry-after'];
  return value !== undefined && Number.isFinite(Number(value)) ? Number(value) * 1000 : undefined;
}

/**
 * Turns what MSAL throws into an AppError whose message says what is wrong and whose hint says what to fix.
 * Classification uses MSAL's error codes and Entra's AADSTS numbers, never the description text.
 */
export function mapMsalError(error: unknown, context: MsalErrorContext): AppError {
  const own = firstAppError(error);
  if (own) return own;
  const c = context;
  const details = { connection: c.connectionName, tenantId: c.tenantId, clientId: c.clientId, authority: c.authority };
  if (!(error instanceof AuthError)) {
    return new AppError('AUTH_FAILED', `connection ${c.connectionName}: token request failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error, details });
  }
  const withCodes = { ...details, msalCode: error.errorCode };
  if (networkCodes.has(error.errorCode)) {
    return new AppError('AUTH_AUTHORITY_UNREACHABLE', `connection ${c.connectionName}: the sign-in service at ${c.authority} cannot be reached`, {
      cause: error,
      details: withCodes,
      hint: 'Check the network path (proxy, firewall, DNS) to the authority host; for the emulator, check that `mailroom emulator` is running and caFile points at its CA.',
    });
  }
  if (!(error instanceof ServerError)) {
    return new AppError('AUTH_FAILED', `connection ${c.connectionName}: MSAL failed with ${error.errorCode}`, {
      cause: error,
      details: withCodes,
      hint: 'Check authorityHost, tenantId and clientId of the connection.',
      retry: 'permanent',
    });
  }
  const number = Number(error.errorNo ?? NaN);
  const all = { ...withCodes, aadsts: Number.isFinite(number) ? number : undefined, status: error.status };
  const make = (code: ConstructorParameters<typeof AppError>[0], message: string, hint: string): AppError =>
    new AppError(code, `connection ${c.connectionName}: ${message}`, { cause: error, details: all, hint });

  if (aadsts.invalidSecret.has(number)) {
    return make('AUTH_INVALID_SECRET', `the client secret is wrong (AADSTS${number}): Entra does not accept the value read from ${c.credentialSource}`,
      'Paste the secret\'s Value, not its Secret ID: in Entra admin center > App registrations > Certificates & secrets the Value is shown only once, right after the secret is created; create a new secret if you no longer have it.');
  }
  if (aadsts.expiredSecret.has(number)) {
    return make('AUTH_SECRET_EXPIRED', `the client secret has expired (AADSTS${number})`,
      `Create a new client secret under App registrations > Certificates & secrets, store its Value in ${c.credentialSource}, and update secretExpiresAt.`);
  }
  if (aadsts.noCredential.has(number)) {
    return make('AUTH_INVALID_SECRET', `no usable credential reached Entra (AADSTS${number})`,
      `Check that ${c.credentialSource} holds the secret value or the certificate private key.`);
  }
  if (aadsts.unknownApplication.has(number)) {
    return make('AUTH_UNKNOWN_APPLICATION', `application ${c.clientId} is not registered in tenant ${c.tenantId} (AADSTS${number})`,
      'Copy the Application (client) ID from the app registration\'s Overview page, and check that the app lives in (or was consented to by) this tenant.');
  }
  if (aadsts.unknownTenant.has(number)) {
    return make('AUTH_UNKNOWN_TENANT', `tenant ${c.tenantId} does not exist (AADSTS${number})`,
      'Copy the Directory (tenant) ID from the app registration\'s Overview page into tenantId, and check the connection\'s cloud.');
  }
  if (aadsts.consent.has(number)) {
    return make('AUTH_CONSENT_MISSING', `no administrator has consented to application ${c.clientId} in tenant ${c.tenantId} (AADSTS${number})`,
      'An administrator must open App registrations > API permissions and choose "Grant admin consent".');
  }
  if (aadsts.scope.has(number) || error.errorCode === 'invalid_scope') {
    return make('AUTH_INVALID_SCOPE', `the requested scope is not valid (AADSTS${number})`,
      'Application connections must request exactly one scope of the form https://graph.microsoft.com/.default; remove or fix the scopes field.');
  }
  if (aadsts.certificate.has(number) || (error.errorCode === 'invalid_client' && c.credentialKind === 'certificate')) {
    return make('AUTH_INVALID_CERTIFICATE', `Entra rejected the certificate credential (AADSTS${Number.isFinite(number) ? number : '?'})`,
      'Upload the certificate (public part) under App registrations > Certificates & secrets, and check the thumbprint and that the private key belongs to it and the clock is right.');
  }
  if (error.errorCode === 'invalid_client') {
    return make('AUTH_INVALID_SECRET', `Entra rejected the client credential (AADSTS${Number.isFinite(number) ? number : '?'})`,
      'Check the client secret Value (not the Secret ID) and its expiry under App registrations > Certificates & secrets.');
  }
  const status = error.status ?? 0;
  if (status === 429 || status >= 500) {
    const after = retryAfterMs(error);
    return new AppError('AUTH_FAILED', `connection ${c.connectionName}: the sign-in service answered ${status}`, {
      cause: error,
      details: all,
      hint: 'The sign-in service is busy or failing; the job retries on its next run.',
      retry: status === 429 ? 'throttled' : 'later',
      ...(after === undefined ? {} : { retryAfterMs: after }),
    });
  }
  return make('AUTH_FAILED', `token request failed with ${error.errorCode}${Number.isFinite(number) ? ` (AADSTS${number})` : ''}`,
    'Look up the AADSTS code at https://login.microsoftonline.com/error and check the connection settings.');
}
