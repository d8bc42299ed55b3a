import { randomBytes } from 'node:crypto';
import type { Recipient } from './message-record.ts';

export interface MimeAttachment {
  name: string;
  contentType: string;
  content: Buffer;
  isInline: boolean;
  contentId: string | null;
}

export interface MimeMessage {
  from: Recipient;
  to: Recipient[];
  cc: Recipient[];
  bcc: Recipient[];
  replyTo: Recipient[];
  subject: string;
  body: { contentType: 'text' | 'html'; content: string };
  attachments: MimeAttachment[];
  /** Custom `x-` headers and threading headers. */
  headers: { name: string; value: string }[];
  messageId: string;
  date: Date;
  importance?: 'low' | 'normal' | 'high';
}

const needsEncoding = (text: string): boolean => /[^\x20-\x7e]/.test(text);
const encodeWord = (text: string): string => (needsEncoding(text) ? `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=` : text);

function address(recipient: Recipient): string {
  const { name, address: email } = recipient.emailAddress;
  if (name === '' || name === email) return email;
  return needsEncoding(name) ? `${encodeWord(name)} <${email}>` : `"${name.replace(/(["\\])/g, '\\$1')}" <${email}>`;
}

function base64Lines(content: Buffer): string {
  return (content.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** A small RFC 5322 / MIME writer, enough for what Exchange stores for mail sent through Graph. */
export function buildMime(message: MimeMessage): Buffer {
  const lines: string[] = [];
  const header = (name: string, value: string): void => {
    lines.push(`${name}: ${value}`);
  };
  header('From', address(message.from));
  if (message.to.length > 0) header('To', message.to.map(address).join(', '));
  if (message.cc.length > 0) header('Cc', message.cc.map(address).join(', '));
  if (message.bcc.length > 0) header('Bcc', message.bcc.map(address).join(', '));
  if (message.replyTo.length > 0) header('Reply-To', message.replyTo.map(address).join(', '));
  header('Subject', encodeWord(message.subject));
  header('Date', message.date.toUTCString().replace('GMT', '+0000'));
  header('Message-ID', message.messageId);
  if (message.importance !== undefined && message.importance !== 'normal') header('Importance', message.importance);
  for (const h of message.headers) header(h.name, needsEncoding(h.value) ? encodeWord(h.value) : h.value);
  header('MIME-Version', '1.0');
  const bodyType = message.body.contentType === 'html' ? 'text/html' : 'text/plain';
  const bodyPart = [`Content-Type: ${bodyType}; charset="utf-8"`, 'Content-Transfer-Encoding: base64', '', base64Lines(Buffer.from(message.body.content, 'utf8'))];
  if (message.attachments.length === 0) {
    lines.push(...bodyPart);
  } else {
    const boundary = `_000_${randomBytes(12).toString('hex')}_`;
    lines.push(`Content-Type: multipart/mixed; boundary="${boundary}"`, '', `--${boundary}`, ...bodyPart);
    for (const attachment of message.attachments) {
      const name = encodeWord(attachment.name);
      lines.push(`--${boundary}`, `Content-Type: ${attachment.contentType}; name="${name}"`);
      lines.push(`Content-Disposition: ${attachment.isInline ? 'inline' : 'attachment'}; filename="${name}"`);
      if (attachment.contentId !== null) lines.push(`Content-ID: <${attachment.contentId}>`);
      lines.push('Content-Transfer-Encoding: base64', '', base64Lines(attachment.content));
    }
    lines.push(`--${boundary}--`);
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

export { newInternetMessageId } from './ids.ts';
