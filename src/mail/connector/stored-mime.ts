import { putFileStream, readFileChunks, type Store } from '../../store/index.ts';
import { parseMessageStream, type Message, type ParseMeta } from '../parse/index.ts';
import { ContentDigest } from './content-digest.ts';

/** A mail too large to hold, in the file store: what the run knows of it without reading it again. */
export interface StoredMime {
  fileId: string;
  length: number;
  /** The content digest (see ContentDigest), for duplicates and the ledger. */
  digest: string;
  /** The header block, for the thread lookup before the mail is parsed. */
  head: Uint8Array;
}

/**
 * Stores a mail's MIME as it streams in (from Graph), computing its content digest and file key on the way: the
 * bytes are read once and never held whole. A stream that breaks leaves no file behind (see putFileStream).
 */
export async function storeMimeStream(store: Store, source: AsyncIterable<Uint8Array>, filename: string): Promise<StoredMime> {
  const digest = new ContentDigest();
  async function* tapped(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      digest.update(chunk);
      yield chunk;
    }
  }
  const file = await putFileStream(store, tapped(), { filename, contentType: 'message/rfc822', kind: 'mime' }, { checksum: () => digest.finish().rawKey });
  return { fileId: file.fileId!, length: file.length, digest: digest.finish().digest, head: digest.headerBlock() };
}


/** A mail's MIME kept in the file store earlier (a replay of a mail gone from the mailbox), read once for its digest. */
export async function readStoredMime(store: Store, fileId: string): Promise<StoredMime> {
  const digest = new ContentDigest();
  for await (const chunk of readFileChunks(store, fileId)) digest.update(chunk);
  return { fileId, length: digest.length, digest: digest.finish().digest, head: digest.headerBlock() };
}

/**
 * Parses a stored mail from the file store; attachments too large to hold go to the file store as they are decoded,
 * up to `attachmentMaxBytes` each (larger ones are only measured and hashed, and listed as skipped later).
 */
export async function parseStoredMime(store: Store, mime: StoredMime, options: { attachmentMaxBytes: number; meta: ParseMeta }): Promise<Message> {
  return parseMessageStream(readFileChunks(store, mime.fileId), {
    storeAttachment: async (content, meta) => {
      const file = await putFileStream(store, content, { ...meta, kind: 'attachment' }, { maxBytes: options.attachmentMaxBytes });
      return { fileId: file.fileId, size: file.length, checksum: file.checksum };
    },
  }, options.meta);
}
