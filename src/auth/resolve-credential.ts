import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { NodeAuthOptions } from '@azure/msal-node';
import { AppError } from '../core/index.ts';
import type { ConnectionConfig } from '../config/connection-config.ts';
import { checkPrivateKey } from '../config/check-private-key.ts';
import { resolveSecret, type SecretContext } from '../config/secret-ref.ts';

export type CredentialOptions = Pick<NodeAuthOptions, 'clientSecret' | 'clientCertificate'>;

export interface ResolvedCredential {
  kind: 'secret' | 'certificate';
  msal: CredentialOptions;
  /** The secret value or private key, so the logger can mask it wherever it shows up. */
  secretValues: string[];
  /** When the credential stops working, if known (certificate notAfter). */
  expiresAt: Date | undefined;
}

function readCertificate(file: string): X509Certificate {
  try {
    return new X509Certificate(readFileSync(file));
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `the certificate file ${file} is not a readable PEM certificate`, {
      cause: error,
      details: { file },
      hint: 'Point certificateFile at the PEM certificate (public part) uploaded to the app registration.',
    });
  }
}

/**
 * Reads the credential at the moment a client is built (a rotated secret file is picked up on the next client).
 * A SHA-256 thumbprint makes MSAL sign with PS256 and `x5t#S256`, which Entra prefers; a 40-digit SHA-1 thumbprint
 * (what the portal shows) falls back to RS256 + `x5t`.
 * https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials
 */
export function resolveCredential(connection: ConnectionConfig, context: SecretContext): ResolvedCredential {
  const field = `connection ${connection.name}`;
  if ('clientSecret' in connection.credential) {
    const secret = resolveSecret(connection.credential.clientSecret, context, `${field} credential.clientSecret`);
    return { kind: 'secret', msal: { clientSecret: secret }, secretValues: [secret], expiresAt: undefined };
  }
  const { privateKey: keyRef, thumbprint, certificateFile } = connection.credential.certificate;
  const privateKey = resolveSecret(keyRef, context, `${field} credential.certificate.privateKey`);
  // A key that does not parse would only fail inside MSAL's signing, as AUTH_FAILED: it is a configuration error.
  const keyProblem = checkPrivateKey(privateKey);
  if (keyProblem !== null) {
    const source = 'env' in keyRef ? `environment variable ${keyRef.env}` : `key file ${resolve(context.baseDir, keyRef.file)}`;
    throw new AppError('CONFIG_INVALID', `${field}: credential.certificate.privateKey: ${source} ${keyProblem}`, {
      details: 'env' in keyRef ? { env: keyRef.env } : { file: resolve(context.baseDir, keyRef.file) },
      hint: 'Use the unencrypted PEM key (-----BEGIN PRIVATE KEY-----) of the certificate uploaded to the app registration.',
    });
  }
  const certificate = certificateFile === undefined ? undefined : readCertificate(resolve(context.baseDir, certificateFile));
  const sha256 = certificate?.fingerprint256.replaceAll(':', '').toLowerCase()
    ?? (thumbprint !== undefined && thumbprint.length === 64 ? thumbprint.toLowerCase() : undefined);
  const clientCertificate: NonNullable<NodeAuthOptions['clientCertificate']> = sha256 !== undefined
    ? { privateKey, thumbprintSha256: sha256 }
    : { privateKey, thumbprint: thumbprint!.toLowerCase() };
  // x5c lets tenants that trust by subject name and issuer (SNI) accept a renewed certificate without re-upload.
  if (certificate) clientCertificate.x5c = certificate.toString();
  return {
    kind: 'certificate',
    msal: { clientCertificate },
    secretValues: [privateKey],
    expiresAt: certificate ? new Date(certificate.validTo) : undefined,
  };
}
