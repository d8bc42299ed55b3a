import { createHash } from 'node:crypto';
import type { Attachment, Message } from './message.ts';
import { isTnef, readTnef } from './read-tnef.ts';

const byExtension: Record<string, string> = {
  pdf: 'application/pdf', txt: 'text/plain', csv: 'text/csv', htm: 'text/html', html: 'text/html', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', bmp: 'image/bmp',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  zip: 'application/zip', eml: 'message/rfc822', msg: 'application/vnd.ms-outlook', ics: 'text/calendar',
};

function isTnefAttachment(attachment: Attachment): boolean {
  return (attachment.contentType === 'application/ms-tnef' || attachment.contentType === 'application/vnd.ms-tnef' || attachment.filename.toLowerCase() === 'winmail.dat') && isTnef(attachment.content);
}

/**
 * winmail.dat (TNEF) from Outlook: the files inside become the message's attachments, and its body (HTML, plain
 * text, or the words of its RTF) is used where the MIME message has none. A winmail.dat that yields nothing stays
 * as it came, so nothing is lost.
 */
export function useTnefContent(message: Message): Message {
  const index = message.attachments.findIndex(isTnefAttachment);
  if (index < 0) return message;
  const tnef = readTnef((message.attachments[index] as Attachment).content);
  if (tnef === null || (tnef.attachments.length === 0 && tnef.text === null && tnef.html === null)) return message;
  const unpacked = tnef.attachments.map((file): Attachment => {
    const extension = file.filename.toLowerCase().split('.').pop() ?? '';
    return {
      filename: file.filename,
      contentType: file.contentType ?? byExtension[extension] ?? 'application/octet-stream',
      size: file.content.byteLength,
      contentId: file.contentId,
      inline: false,
      checksum: createHash('sha256').update(file.content).digest('hex'),
      content: file.content,
    };
  });
  const hasText = message.text !== null && message.text.trim() !== '';
  return {
    ...message,
    html: message.html ?? tnef.html,
    text: hasText ? message.text : (tnef.text ?? message.text),
    attachments: [...message.attachments.slice(0, index), ...unpacked, ...message.attachments.slice(index + 1)],
    parseWarnings: [...message.parseWarnings, ...tnef.warnings],
  };
}
