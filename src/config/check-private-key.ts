import { createPrivateKey } from 'node:crypto';

/**
 * Why a PEM private key cannot be used, or null when it parses. An armor line alone proves nothing: a truncated or
 * garbled body only fails deep inside MSAL's signing, where it surfaced as AUTH_FAILED.
 */
export function checkPrivateKey(pem: string): string | null {
  if (!pem.includes('PRIVATE KEY-----')) return 'is not a PEM private key (-----BEGIN PRIVATE KEY-----)';
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss' ? null : `holds a ${key.asymmetricKeyType ?? 'non-RSA'} key; Entra certificate credentials need RSA`;
  } catch {
    const encrypted = pem.includes('BEGIN ENCRYPTED PRIVATE KEY') || pem.includes('Proc-Type: 4,ENCRYPTED');
    return encrypted ? 'is encrypted; use the unencrypted key' : 'does not parse as a PEM private key';
  }
}
