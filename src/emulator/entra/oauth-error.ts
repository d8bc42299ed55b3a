import { randomUUID } from 'node:crypto';
import type { EmulatorResponse } from '../http/emulator-types.ts';

/**
 * Entra's error body ({error, error_description "AADSTSnnnn: …\r\nTrace ID…", error_codes, timestamp, trace_id,
 * correlation_id, error_uri}), https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes.
 */
export class OAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly aadsts: number;

  constructor(status: number, error: string, aadsts: number, description: string) {
    super(description);
    this.status = status;
    this.error = error;
    this.aadsts = aadsts;
  }
}

export function oauthErrorResponse(error: OAuthError, correlationId: string | undefined): EmulatorResponse {
  const traceId = randomUUID();
  const correlation = correlationId ?? randomUUID();
  const timestamp = `${new Date().toISOString().slice(0, 19).replace('T', ' ')}Z`;
  return {
    status: error.status,
    headers: { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' },
    body: {
      error: error.error,
      error_description: `AADSTS${error.aadsts}: ${error.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
      error_codes: [error.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${error.aadsts}`,
    },
  };
}

export const unknownTenant = (tenant: string): OAuthError =>
  new OAuthError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);

export const malformedTenant = (tenant: string): OAuthError =>
  new OAuthError(400, 'invalid_request', 900023, `Specified tenant identifier '${tenant}' is neither a valid DNS name, nor a valid external domain.`);

export const unknownApplication = (clientId: string, tenant: string): OAuthError =>
  new OAuthError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
