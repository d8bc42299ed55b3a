import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The JWKS document published at `/{tenant}/discovery/v2.0/keys`. */
  jwks: { keys: Record<string, unknown>[] };
}

/** A fresh RSA key per emulator start: tokens from an earlier run are (correctly) rejected. */
export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const kid = createHash('sha1').update(der).digest('base64url');
  const jwk = publicKey.export({ format: 'jwk' });
  return { kid, privateKey, publicKey, jwks: { keys: [{ kty: 'RSA', use: 'sig', kid, x5t: kid, n: jwk.n, e: jwk.e }] } };
}
