import { createHash, randomBytes } from 'node:crypto';

/**
 * Random secrets (API tokens, session ids, one-time sign-in tokens) carry 256 bits, so a plain SHA-256 is enough
 * to store them: there is nothing to guess that a slow password hash would protect.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** A new random secret with a readable prefix (so a leaked one can be recognised by secret scanners). */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}
