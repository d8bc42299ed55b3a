import type { Attachment, MessageSecurity } from './message.ts';

// Detached signatures: the part that carries the signature, not a file the sender attached (RFC 8551 §3.5, RFC 3156 §5).
const signatureTypes = new Set(['application/pkcs7-signature', 'application/x-pkcs7-signature', 'application/pgp-signature']);
// Microsoft Purview / AD RMS: the protected body travels as message.rpmsg.
const rightsProtectedTypes = new Set(['application/x-microsoft-rpmsg-message', 'application/x-microsoft-rpmsg-message-v2']);

export interface SecurityInput {
  headers: Record<string, string[]>;
  attachments: readonly Attachment[];
}

/**
 * Signed and encrypted mail: a signed message keeps its text and attachments and loses only the signature part;
 * an encrypted (application/pkcs7-mime enveloped-data, multipart/encrypted) or rights-protected one cannot be
 * read here, which later stages must say instead of showing an empty ticket.
 */
export function readSecurity(input: SecurityInput): { security: MessageSecurity; attachments: Attachment[] } {
  const contentType = (input.headers['content-type']?.[0] ?? '').toLowerCase();
  const contentClass = (input.headers['content-class']?.[0] ?? '').toLowerCase();
  let signed: MessageSecurity['signed'] = null;
  let encrypted: MessageSecurity['encrypted'] = null;

  if (contentType.startsWith('multipart/signed')) signed = /pgp-signature/.test(contentType) ? 'pgp' : 'smime';
  if (/^application\/(?:x-)?pkcs7-mime/.test(contentType)) {
    // smime-type=signed-data is an opaque signature around the content: we cannot unwrap CMS, so it is as unreadable as encrypted mail.
    encrypted = 'smime';
    if (/smime-type\s*=\s*"?signed-data/.test(contentType)) signed = 'smime';
  }
  if (contentType.startsWith('multipart/encrypted')) encrypted = 'pgp';
  if (contentClass.startsWith('rpmsg.message') || input.attachments.some((a) => rightsProtectedTypes.has(a.contentType) || a.filename.toLowerCase() === 'message.rpmsg')) {
    encrypted = 'rights-protected';
  }
  const attachments = signed === null ? [...input.attachments] : input.attachments.filter((a) => !signatureTypes.has(a.contentType));
  return { security: { signed, encrypted }, attachments };
}
