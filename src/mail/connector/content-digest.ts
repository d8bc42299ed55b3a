import { createHash } from 'node:crypto';

/** Headers a mail gains on its way in: two deliveries of one mail differ in them, so they are not hashed. */
const keptHeaders = new Set(['from', 'to', 'cc', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'content-type']);

/**
 * SHA-256 (hex) of a mail's content: its body bytes as sent plus the headers its author wrote (From, To, Cc, Subject,
 * Date, Message-ID, threading, Content-Type), unfolded. Transport headers (Received, Delivered-To, Return-Path,
 * X-MS-Exchange-…, authentication results) differ between two deliveries of the same mail, e.g. to two addresses of
 * one mailbox, so the raw bytes alone would never match; with this digest they do, and a different mail that
 * reuses a Message-ID does not.
 */
export function contentDigest(raw: Uint8Array): string {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  let split = bytes.indexOf('\r\n\r\n');
  let gap = 4;
  const lf = bytes.indexOf('\n\n');
  if (split === -1 || (lf !== -1 && lf < split)) {
    split = lf;
    gap = 2;
  }
  const head = split === -1 ? bytes : bytes.subarray(0, split);
  const body = split === -1 ? Buffer.alloc(0) : bytes.subarray(split + gap);
  const hash = createHash('sha256');
  const unfolded = head.toString('latin1').replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  for (const line of unfolded) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (keptHeaders.has(name)) hash.update(`${name}:${line.slice(colon + 1).trim()}\n`);
  }
  hash.update('\n');
  hash.update(body);
  return hash.digest('hex');
}
