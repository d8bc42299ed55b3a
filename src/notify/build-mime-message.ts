import { createHash } from 'node:crypto';

export interface MimeInput {
  from: string;
  to: { address: string; name: string | null };
  subject: string;
  html: string;
  text: string;
  /** With angle brackets. */
  messageId: string;
  /** The mail this one answers (with angle brackets), so the recipient's client threads it; null for none. */
  inReplyTo: string | null;
  date: Date;
  /** Extra header lines (ASCII values), after the standard ones. */
  headers: { name: string; value: string }[];
}

const nonAscii = /[^\x20-\x7e]/;

/** RFC 2047 encoded words of at most 75 characters, never splitting a UTF-8 sequence. */
function encodeWords(text: string): string {
  if (!nonAscii.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk !== '') words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

function mailbox(address: string, name: string | null): string {
  if (name === null || name === '' || name.toLowerCase() === address) return address;
  const display = nonAscii.test(name) ? encodeWords(name) : `"${name.replace(/(["\\])/g, '\\$1')}"`;
  return `${display} <${address}>`;
}

function base64Body(text: string): string {
  return (Buffer.from(text, 'utf8').toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** Header values we put in must not smuggle in another header line. */
function oneLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

/**
 * The notification as MIME: multipart/alternative with the plain-text and the HTML rendering. Graph's sendMail takes
 * MIME (base64, Content-Type text/plain) as it is, which is what lets us set our own Message-ID and the standard
 * Auto-Submitted header; the JSON form allows neither a text alternative nor headers outside `x-…` (at most five).
 * https://learn.microsoft.com/en-us/graph/api/user-sendmail (MIME example), RFC 3834 (Auto-Submitted).
 */
export function buildMimeMessage(input: MimeInput): string {
  const boundary = `=_mailroom_${createHash('sha256').update(input.messageId).digest('hex').slice(0, 24)}`;
  const lines = [
    `From: ${input.from}`,
    `To: ${mailbox(input.to.address, input.to.name)}`,
    `Subject: ${encodeWords(oneLine(input.subject))}`,
    `Date: ${input.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${input.messageId}`,
    ...(input.inReplyTo ? [`In-Reply-To: ${input.inReplyTo}`, `References: ${input.inReplyTo}`] : []),
    'MIME-Version: 1.0',
    ...input.headers.map((h) => `${h.name}: ${oneLine(h.value)}`),
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Body(input.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Body(input.html),
    `--${boundary}--`,
    '',
  ];
  return lines.join('\r\n');
}
