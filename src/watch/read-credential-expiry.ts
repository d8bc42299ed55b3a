import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ConnectionConfig } from '../config/connection-config.ts';

/** When a connection's credential stops working, as far as the configuration tells. No secret is read. */
export interface CredentialExpiry {
  connection: string;
  kind: 'client secret' | 'certificate';
  /** null: unknown (no secretExpiresAt, no certificateFile) or unreadable (then `problem` says why). */
  expiresAt: Date | null;
  /** Where the date came from, for the message. */
  source: 'secretExpiresAt' | 'certificateFile' | null;
  problem: string | null;
}

/**
 * A certificate's notAfter read from its PEM file (node:crypto X509Certificate), else the connection's
 * `secretExpiresAt` (the date the portal shows; the secret stops working at the end of that day at the latest).
 */
export async function readCredentialExpiry(connection: ConnectionConfig, root: string): Promise<CredentialExpiry> {
  const certificate = 'certificate' in connection.credential ? connection.credential.certificate : null;
  const kind = certificate ? 'certificate' : 'client secret';
  if (certificate?.certificateFile !== undefined) {
    const file = resolve(root, certificate.certificateFile);
    try {
      const expiresAt = new Date(new X509Certificate(await readFile(file)).validTo);
      return { connection: connection.name, kind, expiresAt, source: 'certificateFile', problem: null };
    } catch (error) {
      return { connection: connection.name, kind, expiresAt: null, source: 'certificateFile', problem: `the certificate file ${file} is not a readable PEM certificate (${(error as Error).message})` };
    }
  }
  if (connection.secretExpiresAt !== undefined) {
    return { connection: connection.name, kind, expiresAt: new Date(`${connection.secretExpiresAt}T23:59:59Z`), source: 'secretExpiresAt', problem: null };
  }
  return { connection: connection.name, kind, expiresAt: null, source: null, problem: null };
}
