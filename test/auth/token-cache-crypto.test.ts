import test from 'ava';
import { randomBytes } from 'node:crypto';
import { decryptTokenCache, encryptTokenCache, parseEncryptionKey } from '../../src/auth/index.ts';
import { isAppError } from '../../src/core/index.ts';

const key = randomBytes(32);

test('a token cache survives encryption and decryption, and the stored form does not contain it', (t) => {
  const cache = JSON.stringify({ RefreshToken: { x: { secret: 'refresh-token-value-123' } } });
  const stored = encryptTokenCache(cache, key, 'msal:demo');
  t.false(stored.includes('refresh-token-value-123'));
  t.is(decryptTokenCache(stored, key, 'msal:demo'), cache);
});

test('each write uses a fresh IV, so equal caches give different ciphertexts', (t) => {
  t.not(encryptTokenCache('same', key, 'k'), encryptTokenCache('same', key, 'k'));
});

test('a wrong key, another connection\'s record or a tampered ciphertext fail with AUTH_TOKEN_CACHE_UNREADABLE', (t) => {
  const stored = encryptTokenCache('{"a":1}', key, 'msal:demo');
  const [v, iv, tag, data] = stored.split(':') as [string, string, string, string];
  const flipped = Buffer.from(data, 'base64');
  flipped[0] = flipped[0]! ^ 1;
  for (const attempt of [
    () => decryptTokenCache(stored, randomBytes(32), 'msal:demo'),
    () => decryptTokenCache(stored, key, 'msal:other'),
    () => decryptTokenCache([v, iv, tag, flipped.toString('base64')].join(':'), key, 'msal:demo'),
    () => decryptTokenCache('garbage', key, 'msal:demo'),
  ]) {
    const error = t.throws(attempt);
    t.true(isAppError(error, 'AUTH_TOKEN_CACHE_UNREADABLE'));
    t.regex((error as Error & { hint?: string }).hint ?? '', /MAILROOM_ENCRYPTION_KEY/);
  }
});

test('MAILROOM_ENCRYPTION_KEY is accepted as base64 or hex of 32 bytes, and refused otherwise', (t) => {
  t.deepEqual(parseEncryptionKey({ MAILROOM_ENCRYPTION_KEY: key.toString('base64') }), key);
  t.deepEqual(parseEncryptionKey({ MAILROOM_ENCRYPTION_KEY: key.toString('hex') }), key);
  t.true(isAppError(t.throws(() => parseEncryptionKey({})), 'CONFIG_SECRET_MISSING'));
  t.true(isAppError(t.throws(() => parseEncryptionKey({ MAILROOM_ENCRYPTION_KEY: randomBytes(16).toString('base64') })), 'CONFIG_INVALID'));
});
