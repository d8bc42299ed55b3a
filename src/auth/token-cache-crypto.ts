import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../core/index.ts';

const version = 'v1';

/**
 * The key for delegated token caches: 32 bytes given as 64 hex digits or as base64 (`openssl rand -base64 32`).
 * A refresh token in the database is as good as the person's password for the scopes it carries, hence encryption.
 */
export function parseEncryptionKey(env: Readonly<Record<string, string | undefined>>): Buffer {
  const text = env.MAILROOM_ENCRYPTION_KEY?.trim();
  const hint = 'Set MAILROOM_ENCRYPTION_KEY to 32 random bytes, e.g. the output of `openssl rand -base64 32`, and keep it: caches encrypted with it become unreadable without it.';
  if (text === undefined || text === '') {
    throw new AppError('CONFIG_SECRET_MISSING', 'MAILROOM_ENCRYPTION_KEY is not set; delegated token caches are stored encrypted with it', { hint });
  }
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) {
    throw new AppError('CONFIG_INVALID', `MAILROOM_ENCRYPTION_KEY decodes to ${key.length} bytes; AES-256-GCM needs 32`, { hint });
  }
  return key;
}

/**
 * AES-256-GCM with a fresh 96-bit IV per write. The cache key is bound in as additional authenticated data, so a
 * ciphertext copied onto another connection's record fails to decrypt instead of signing in as someone else.
 */
export function encryptTokenCache(plaintext: string, key: Buffer, cacheKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(cacheKey, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [version, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
}

export function decryptTokenCache(stored: string, key: Buffer, cacheKey: string): string {
  const [v, iv, tag, data] = stored.split(':');
  try {
    if (v !== version || iv === undefined || tag === undefined || data === undefined) throw new Error(`unknown token cache format ${String(v)}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(cacheKey, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new AppError('AUTH_TOKEN_CACHE_UNREADABLE', `the stored token cache ${cacheKey} cannot be decrypted`, {
      cause: error,
      details: { cacheKey },
      hint: 'MAILROOM_ENCRYPTION_KEY differs from the key the cache was written with: restore the old key, or sign in again with `mailroom connection sign-in`.',
    });
  }
}
