import type { Readable } from 'node:stream';
import { openFileStream, type Store } from '../store/index.ts';
import type { AttachmentRef } from './ticket-types.ts';

export interface StoredFileDownload {
  filename: string;
  contentType: string;
  length: number;
  stream: Readable;
}

/**
 * Opens one of a ticket's, comment's or object's files for download: an attachment it references by file id, or the
 * raw MIME of the mail it came from. Null when the record does not reference that file or the file is gone, so a
 * file id alone never opens someone else's file.
 */
export async function openStoredFile(store: Store, record: { attachments: readonly AttachmentRef[]; source: { rawMimeFileId: string | null } | null }, which: { attachment: string } | { mime: string }): Promise<StoredFileDownload | null> {
  let fileId: string | null;
  let filename: string;
  let contentType: string;
  if ('attachment' in which) {
    const ref = record.attachments.find((a) => a.fileId === which.attachment);
    if (!ref?.fileId) return null;
    ({ fileId, filename, contentType } = ref);
  } else {
    fileId = record.source?.rawMimeFileId ?? null;
    filename = which.mime;
    contentType = 'message/rfc822';
  }
  if (!fileId) return null;
  const opened = await openFileStream(store, fileId);
  return opened ? { filename, contentType, ...opened } : null;
}
