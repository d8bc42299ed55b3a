import { Readable } from 'node:stream';
import { MailParser, type AttachmentStream, type MessageText, type ParsedMail } from 'mailparser';
import type { Message } from './message.ts';
import { fallbackMessage, messageOf, parserOptions, type ParseMeta, type StoredContent } from './parse-message.ts';

export interface StreamParseOptions {
  /** Stores one attachment's content as it is decoded; called only for content over `inMemoryUpToBytes`. */
  storeAttachment(content: AsyncIterable<Uint8Array>, meta: { filename: string; contentType: string }): Promise<StoredContent>;
  /** Attachments up to this size are kept in memory as with `parseMessage` (delivery reports, enclosed mail, TNEF need them); default 1 MiB. */
  inMemoryUpToBytes?: number;
}

/** How much of the start and the end of a streamed mail its structural checks see (see `messageOf`). */
const sampleHeadBytes = 256 * 1024;
const sampleTailBytes = 64 * 1024;

/**
 * Raw MIME as a stream → Message, for mail too large to hold: mailparser reads it piece by piece, attachments over
 * `inMemoryUpToBytes` go to `storeAttachment` as they are decoded (the Message keeps their file id, not their bytes),
 * and the checks that read the raw text see its first 256 KiB and last 64 KiB. Otherwise the same as `parseMessage`,
 * whose Message it returns; like it, malformed MIME never throws, but an error of the source or of
 * `storeAttachment` does.
 */
export async function parseMessageStream(source: AsyncIterable<Uint8Array>, options: StreamParseOptions, meta: ParseMeta = {}): Promise<Message> {
  const sample = new RawSample();
  let failure: { error: unknown } | undefined;
  async function* sampled(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of source) {
        const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        sample.update(bytes);
        yield bytes;
      }
    } catch (error) {
      // Not mailparser's: the download or the store failed. Kept apart, so it is not read as malformed MIME.
      failure = { error };
      throw error;
    }
  }
  let parsed: ParsedMail;
  try {
    parsed = await readParsedMail(Readable.from(sampled()), options);
  } catch (error) {
    if (failure) throw failure.error;
    if (isStoreFailure(error)) throw error.cause;
    return fallbackMessage(sample.text(), meta, error);
  }
  return messageOf(parsed, sample.text(), meta);
}

class StoreFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('storing an attachment failed');
  }
}

function isStoreFailure(error: unknown): error is StoreFailure {
  return error instanceof StoreFailure;
}

/** simpleParser's collection of the parts (mailparser 3.9, lib/simple-parser.js), with attachments handed to a store. */
function readParsedMail(input: Readable, options: StreamParseOptions): Promise<ParsedMail> {
  const inMemory = options.inMemoryUpToBytes ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: unknown, mail?: ParsedMail): void => {
      if (settled) return;
      settled = true;
      if (error) {
        input.destroy();
        parser.destroy();
        reject(error);
      } else resolve(mail!);
    };
    const mail = { attachments: [] } as unknown as ParsedMail & Record<string, unknown>;
    const parser = new MailParser(parserOptions);
    parser.on('error', (error: unknown) => settle(error));
    parser.on('headers', (headers) => {
      mail.headers = headers;
      mail.headerLines = (parser as unknown as { headerLines: ParsedMail['headerLines'] }).headerLines;
    });
    let reading = false;
    const read = (): void => {
      reading = true;
      const data = parser.read() as (AttachmentStream | MessageText) | null;
      if (data === null) {
        reading = false;
        return;
      }
      if (data.type === 'text') {
        for (const key of ['text', 'html', 'textAsHtml'] as const) if (key in data) (mail as Record<string, unknown>)[key] = data[key];
        read();
        return;
      }
      collectAttachment(data, inMemory, options).then((attachment) => {
        (mail.attachments as unknown[]).push(attachment);
        read();
      }, (error: unknown) => settle(new StoreFailure(error)));
    };
    parser.on('readable', () => {
      if (!reading) read();
    });
    parser.on('end', () => {
      for (const key of ['subject', 'references', 'date', 'to', 'from', 'cc', 'bcc', 'message-id', 'in-reply-to', 'reply-to']) {
        if (mail.headers?.has(key)) mail[key.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] = mail.headers.get(key);
      }
      settle(null, mail);
    });
    input.once('error', (error) => settle(error));
    input.pipe(parser);
  });
}

/** One attachment: in memory when small, else stored while it is decoded. mailparser waits until `release()`. */
async function collectAttachment(data: AttachmentStream, inMemory: number, options: StreamParseOptions): Promise<unknown> {
  const iterator = (data.content as unknown as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const held: Buffer[] = [];
  let size = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) {
      data.release();
      return { ...data, content: Buffer.concat(held, size), size };
    }
    held.push(next.value);
    size += next.value.byteLength;
    if (size > inMemory) break;
  }
  async function* rest(): AsyncGenerator<Buffer> {
    while (held.length > 0) yield held.shift()!;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const stored = await options.storeAttachment(rest(), { filename: data.filename ?? '', contentType: data.contentType });
  data.release();
  return { ...data, content: Buffer.alloc(0), size: stored.size, stored };
}

/** The first and last bytes of a mail as latin1 text, with a NUL kept if one was anywhere in between. */
class RawSample {
  private head: Buffer[] = [];
  private headLength = 0;
  private tail: Buffer[] = [];
  private tailLength = 0;
  private skipped = false;
  private nul = false;

  update(bytes: Buffer): void {
    let rest = bytes;
    if (this.headLength < sampleHeadBytes) {
      const take = rest.subarray(0, sampleHeadBytes - this.headLength);
      this.head.push(Buffer.from(take));
      this.headLength += take.byteLength;
      rest = rest.subarray(take.byteLength);
    }
    if (rest.byteLength === 0) return;
    this.tail.push(Buffer.from(rest.subarray(Math.max(0, rest.byteLength - sampleTailBytes))));
    this.tailLength += Math.min(rest.byteLength, sampleTailBytes);
    if (rest.byteLength > sampleTailBytes) this.skipped = true;
    while (this.tailLength - this.tail[0]!.byteLength >= sampleTailBytes) {
      this.tailLength -= this.tail.shift()!.byteLength;
      this.skipped = true;
    }
    if (!this.nul && rest.includes(0)) this.nul = true;
  }

  text(): string {
    const tail = Buffer.concat(this.tail);
    const kept = tail.subarray(Math.max(0, tail.byteLength - sampleTailBytes));
    const gap = this.skipped || kept.byteLength < tail.byteLength ? `${this.nul && !kept.includes(0) ? '\0' : ''}\r\n` : '';
    return Buffer.concat(this.head).toString('latin1') + gap + kept.toString('latin1');
  }
}
