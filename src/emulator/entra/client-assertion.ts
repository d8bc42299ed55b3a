import { decodeProtectedHeader, jwtVerify, errors as joseErrors } from 'jose';
import type { AppRecord } from '../state/tenant-state.ts';
import { OAuthError } from './oauth-error.ts';

const invalidSignature = (reason: string, appId: string): OAuthError =>
  new OAuthError(401, 'invalid_client', 700027, `Client assertion contains an invalid signature. [Reason - ${reason}, Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${appId}'.]`);

/**
 * Checks a certificate client assertion the way Entra does
 * (https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials): the key is found by the
 * header's `x5t#S256` (PS256, msal-node's default) or `x5t` (SHA-1), the signature is checked with that certificate,
 * `iss` = `sub` = client id, `aud` = this token endpoint (msal-node sends the URL it resolved), and the time range.
 */
export async function verifyClientAssertion(assertion: string, app: AppRecord, tokenUrls: string[]): Promise<void> {
  const appId = app.def.clientId;
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(assertion) as Record<string, unknown>;
  } catch {
    throw new OAuthError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
  }
  const s256 = typeof header['x5t#S256'] === 'string' ? header['x5t#S256'] : undefined;
  const s1 = typeof header.x5t === 'string' ? header.x5t : undefined;
  const certificate = app.certificates.find((c) => (s256 !== undefined && c.x5tS256 === s256) || (s1 !== undefined && c.x5t === s1));
  if (certificate === undefined) {
    throw invalidSignature(`The key was not found., Thumbprint of key used by client: '${s256 ?? s1 ?? ''}'`, appId);
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(assertion, certificate.publicKey, { algorithms: ['RS256', 'PS256'], clockTolerance: 300 }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired || (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'nbf')) {
      throw new OAuthError(401, 'invalid_client', 700024, `Client assertion is not within its valid time range. Current time: ${new Date().toISOString()}.`);
    }
    throw invalidSignature('The provided signature value did not match the expected signature value.', appId);
  }
  if (certificate.notAfter.getTime() < Date.now()) {
    throw new OAuthError(401, 'invalid_client', 7000274, `The certificate with thumbprint '${s256 ?? s1 ?? ''}' used for client assertion has expired.`);
  }
  if (String(payload.iss).toLowerCase() !== appId.toLowerCase() || String(payload.sub).toLowerCase() !== appId.toLowerCase()) {
    throw new OAuthError(401, 'invalid_client', 700021, "Client assertion application identifier doesn't match 'client_id' parameter.");
  }
  if (typeof payload.exp !== 'number') {
    throw new OAuthError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range: no exp claim.');
  }
  const audiences = (Array.isArray(payload.aud) ? payload.aud : [payload.aud]).map((a) => String(a).toLowerCase().split('?')[0]);
  if (!audiences.some((aud) => tokenUrls.includes(aud ?? ''))) {
    throw new OAuthError(401, 'invalid_client', 700212, `Client assertion audience claim does not match the token endpoint. Audience: '${audiences.join(', ')}'.`);
  }
}
