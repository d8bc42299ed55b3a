import { createHash, type Hash } from 'node:crypto';

/** Headers a mail gains on its way in: two deliveries of one mail differ in them, so they are not hashed. */
const keptHeaders = new Set(['from', 'to', 'cc', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'content-type']);

/**
 * SHA-256 (hex) of a mail's content: its body bytes as sent plus the headers its author wrote (From, To, Cc, Subject,
 * Date, Message-ID, threading, Content-Type), unfolded. Transport headers (Received, Delivered-To, Return-Path,
 * X-MS-Exchange-…, authentication results) differ between two deliveries of the same mail, e.g. to two addresses of
 * one mailbox, so the raw bytes alone would never match; with this digest they do, and a different mail that
 * reuses a Message-ID does not.
 *
 * Fed piece by piece, as a mail streams in, or whole: the same bytes give the same digest either way. The body is
 * hashed once, here: the key of the raw MIME in the file store (`rawKey`) is derived from this digest and the header
 * block, not from a second pass over the bytes.
 */
export class ContentDigest {
  /** The header block, held until the blank line that ends it. */
  private headParts: Buffer[] = [];
  private headLength = 0;
  private head: Buffer | null = null;
  /** 4 for CRLF CRLF, 2 for LF LF, 0 when the mail has no blank line (all header). */
  private gap = 0;
  private body: Hash | null = null;
  private result: { digest: string; rawKey: string } | null = null;
  /** Bytes seen, header and body. */
  length = 0;

  update(chunk: Uint8Array): this {
    if (this.result) throw new Error('ContentDigest updated after digest()');
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.length += bytes.byteLength;
    if (this.body) {
      this.body.update(bytes);
      return this;
    }
    // Still in the header: look for the blank line across piece boundaries (3 bytes of overlap cover CRLF CRLF).
    const overlap = Math.min(3, this.headLength);
    const tail = overlap > 0 ? lastBytes(this.headParts, overlap) : Buffer.alloc(0);
    const window = Buffer.concat([tail, bytes]);
    const end = blankLine(window);
    if (end === null) {
      this.headParts.push(Buffer.from(bytes));
      this.headLength += bytes.byteLength;
      return this;
    }
    const inChunk = end.at - tail.byteLength;
    const headBytes = Buffer.concat([...this.headParts, bytes.subarray(0, Math.max(0, inChunk))]).subarray(0, this.headLength + inChunk);
    this.head = headBytes;
    this.gap = end.gap;
    this.headParts = [];
    this.body = hashedHeaders(headBytes);
    this.body.update(bytes.subarray(inChunk + end.gap));
    return this;
  }

  /** The header block (without the blank line), for reading threading headers before the mail is parsed. */
  headerBlock(): Buffer {
    return this.head ?? Buffer.concat(this.headParts);
  }

  /** The content digest (the same as before it could stream, so ledgers of earlier versions still match), and the raw MIME's key in the file store. */
  finish(): { digest: string; rawKey: string } {
    if (this.result) return this.result;
    const head = this.headerBlock();
    const digest = (this.body ?? hashedHeaders(head)).digest('hex');
    // The raw bytes are exactly head + blank line + body, and the digest covers the body: so this names them as
    // surely as a SHA-256 over all of them would, without hashing the body a second time.
    const rawKey = createHash('sha256').update(head).update(`\n${this.gap}\n`).update(digest).digest('hex');
    this.result = { digest, rawKey };
    return this.result;
  }
}

/** The content digest of a mail held in memory. */
export function contentDigest(raw: Uint8Array): string {
  return new ContentDigest().update(raw).finish().digest;
}

/** The digest so far after the header block: its kept headers, unfolded, then a blank line; the body follows. */
function hashedHeaders(head: Buffer): Hash {
  const hash = createHash('sha256');
  const unfolded = head.toString('latin1').replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  for (const line of unfolded) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (keptHeaders.has(name)) hash.update(`${name}:${line.slice(colon + 1).trim()}\n`);
  }
  hash.update('\n');
  return hash;
}

function lastBytes(parts: readonly Buffer[], n: number): Buffer {
  const out: Buffer[] = [];
  let need = n;
  for (let i = parts.length - 1; i >= 0 && need > 0; i -= 1) {
    const part = parts[i]!;
    out.unshift(part.subarray(Math.max(0, part.byteLength - need)));
    need -= Math.min(need, part.byteLength);
  }
  return Buffer.concat(out);
}

/** The first blank line (CRLF CRLF or LF LF, whichever comes first): where, and how long. */
function blankLine(bytes: Buffer): { at: number; gap: number } | null {
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return null;
  if (crlf === -1 || (lf !== -1 && lf < crlf)) return { at: lf, gap: 2 };
  return { at: crlf, gap: 4 };
}
