import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * Exchange-looking opaque ids: base64url with a kind prefix and `=` padding, like real Graph ids.
 * REST ids change when an item moves; immutable ids (`Prefer: IdType="ImmutableId"`) do not
 * (https://learn.microsoft.com/en-us/graph/outlook-immutable-id).
 */
const b64 = (bytes: Buffer): string => bytes.toString('base64url');

export const newRestId = (): string => `AAMkAG${b64(randomBytes(36))}AAA=`;
export const newImmutableId = (): string => `AAkALg${b64(randomBytes(36))}AAA=`;
export const newEventId = (): string => `AAMkAGE${b64(randomBytes(36))}AAA=`;
export const newChangeKey = (): string => `CQAAABYAAA${b64(randomBytes(12))}`;
export const newGuid = (): string => randomUUID();

export function stableId(prefix: string, ...parts: string[]): string {
  return `${prefix}${b64(createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 30))}AAA=`;
}

/** Whether a string has the shape of an Exchange id (else Graph answers ErrorInvalidIdMalformed, not 404). */
export function isWellFormedId(id: string): boolean {
  return /^[A-Za-z0-9_\-+/]{20,}={0,2}$/.test(id);
}

/** A Message-ID shaped like the ones Exchange Online assigns. */
export function newInternetMessageId(domain: string): string {
  return `<${randomBytes(10).toString('hex').toUpperCase()}@${domain.toUpperCase().replace(/\./g, '')}.PROD.OUTLOOK.EMULATOR>`;
}
