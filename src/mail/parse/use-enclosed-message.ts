import type { Message } from './message.ts';

/** How deep attached messages are followed for a body: a forward of a forward of a forward, no further. */
export const MAX_ENCLOSED_DEPTH = 3;

/**
 * A mail whose body is only an attached message (Outlook's "forward as attachment" with nothing typed, GroupWise
 * forwarding, a top-level message/rfc822) takes its text and HTML from that message, and says whose it was.
 * The attached message stays an attachment: the original is kept as it came.
 */
export async function useEnclosedMessage(message: Message, parseEnclosed: (raw: Uint8Array) => Promise<Message>): Promise<Message> {
  if (hasVisibleBody(message)) return message;
  const enclosed = message.attachments.find((attachment) => attachment.contentType === 'message/rfc822');
  if (enclosed === undefined) return message;
  const inner = await parseEnclosed(enclosed.content);
  if (!hasVisibleBody(inner)) return message;
  return {
    ...message,
    text: inner.text,
    html: inner.html,
    enclosedMessage: inner.enclosedMessage ?? { from: inner.from, subject: inner.subject, date: inner.date },
  };
}

function hasVisibleBody(message: Message): boolean {
  if (message.text !== null && message.text.trim() !== '') return true;
  if (message.html === null) return false;
  const visible = message.html
    .replace(/<(style|script|head|title)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;|&#160;|&#xa0;/gi, ' ');
  return visible.trim() !== '';
}
