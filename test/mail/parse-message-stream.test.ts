import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { parseMessage, parseMessageStream, type StreamParseOptions } from '../../src/mail/parse/index.ts';
import { largeMime } from '../bench/mail-large.ts';

async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function fixtures(dir = 'fixtures/mail'): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await fixtures(path));
    else if (entry.name.endsWith('.eml')) out.push(path);
  }
  return out.sort();
}

/** A store that keeps nothing but says what it was given, as the connector's would (size, SHA-256). */
function countingStore(kept: { filename: string; size: number }[], limit = Infinity): StreamParseOptions['storeAttachment'] {
  return async (content, meta) => {
    const hash = createHash('sha256');
    let size = 0;
    for await (const piece of content) {
      hash.update(piece);
      size += piece.byteLength;
    }
    kept.push({ filename: meta.filename, size });
    return { fileId: size > limit ? null : 'a'.repeat(24), size, checksum: hash.digest('hex') };
  };
}

test('every .eml fixture parses from a stream into the same Message as from bytes', async (t) => {
  const files = await fixtures();
  t.true(files.length > 30);
  for (const file of files) {
    const bytes = await readFile(file);
    const kept: { filename: string; size: number }[] = [];
    const streamed = await parseMessageStream(pieces(bytes, 7 * 1024), { storeAttachment: countingStore(kept) }, { graphId: 'g-1' });
    t.deepEqual(streamed, await parseMessage(bytes, { graphId: 'g-1' }), file);
    t.deepEqual(kept, [], `${file}: small attachments stay in memory`);
  }
});

test('attachments over the in-memory size go to the store as they are decoded; the Message keeps their file id, size and checksum', async (t) => {
  const mime = Buffer.from(largeMime(3, 300_000), 'latin1');
  const whole = await parseMessage(mime);
  const kept: { filename: string; size: number }[] = [];
  const streamed = await parseMessageStream(pieces(mime, 64 * 1024), { storeAttachment: countingStore(kept), inMemoryUpToBytes: 100_000 });
  t.deepEqual(kept, [{ filename: 'scan-3.bin', size: 300_000 }]);
  const [attachment] = streamed.attachments;
  t.is(attachment!.fileId, 'a'.repeat(24));
  t.is(attachment!.content.byteLength, 0, 'not held');
  t.is(attachment!.size, whole.attachments[0]!.size);
  t.is(attachment!.checksum, whole.attachments[0]!.checksum);
  t.deepEqual({ ...streamed, attachments: [] }, { ...whole, attachments: [] }, 'the rest is what parseMessage reads');

  const refused = await parseMessageStream(pieces(mime, 64 * 1024), { storeAttachment: countingStore([], 1000), inMemoryUpToBytes: 100_000 });
  t.is(refused.attachments[0]!.fileId, null, 'over the store limit: measured, not kept');
  t.is(refused.attachments[0]!.checksum, whole.attachments[0]!.checksum);
});

test('an error of the source is the caller\'s, not malformed MIME', async (t) => {
  async function* broken(): AsyncGenerator<Uint8Array> {
    yield Buffer.from('From: a@x\r\nSubject: cut\r\n\r\nstart of the body');
    throw new Error('connection lost');
  }
  await t.throwsAsync(parseMessageStream(broken(), { storeAttachment: countingStore([]) }), { message: 'connection lost' });
});
