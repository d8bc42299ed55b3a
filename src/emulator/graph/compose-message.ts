import { GraphError } from '../http/graph-error.ts';
import type { MimeAttachment, MimeMessage } from '../state/build-mime.ts';
import { newInternetMessageId } from '../state/build-mime.ts';
import type { Mailbox } from '../state/mailbox.ts';
import type { Recipient } from '../state/message-record.ts';
import type { DirectoryObject } from '../state/tenant-state.ts';

const MAX_CUSTOM_HEADERS = 5;
const MAX_RECIPIENTS = 500;

export function recipientsOf(value: unknown, field: string): Recipient[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new GraphError(400, 'RequestBodyRead', `Property '${field}' must be a collection of recipients.`);
  return value.map((entry: unknown) => {
    const email = (entry as { emailAddress?: { address?: unknown; name?: unknown } } | null)?.emailAddress;
    if (typeof email?.address !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email.address)) {
      throw new GraphError(400, 'ErrorInvalidRecipients', 'At least one recipient is not valid., Recipient is not valid.');
    }
    return { emailAddress: { name: typeof email.name === 'string' ? email.name : email.address, address: email.address } };
  });
}

/**
 * Custom headers: names must start with `x-`, at most 5 (graph-behaviour.md §3.2 with the real error codes).
 */
export function checkCustomHeaders(value: unknown): { name: string; value: string }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new GraphError(400, 'RequestBodyRead', "Property 'internetMessageHeaders' must be a collection.");
  const headers = value.map((h: unknown) => {
    const header = h as { name?: unknown; value?: unknown };
    const name = String(header.name ?? '');
    if (!/^x-/i.test(name)) throw new GraphError(400, 'InvalidInternetMessageHeader', `The internet message header name '${name}' should start with 'x-' or 'X-'.`);
    return { name, value: String(header.value ?? '') };
  });
  if (headers.length > MAX_CUSTOM_HEADERS) {
    throw new GraphError(400, 'InvalidInternetMessageHeaderCollection', 'Maximum number of headers in one message should be less than or equal to 5.');
  }
  return headers;
}

function attachmentsOf(value: unknown): MimeAttachment[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new GraphError(400, 'RequestBodyRead', "Property 'attachments' must be a collection.");
  return value.map((a: unknown) => {
    const attachment = a as Record<string, unknown>;
    if (attachment['@odata.type'] !== '#microsoft.graph.fileAttachment' && attachment['@odata.type'] !== '#Microsoft.Graph.FileAttachment') {
      throw new GraphError(400, 'ErrorInvalidRequest', 'Only #microsoft.graph.fileAttachment is supported by the emulator in sendMail.');
    }
    if (typeof attachment.contentBytes !== 'string') throw new GraphError(400, 'ErrorInvalidRequest', 'An attachment needs contentBytes.');
    return {
      name: String(attachment.name ?? 'attachment'),
      contentType: String(attachment.contentType ?? 'application/octet-stream'),
      content: Buffer.from(attachment.contentBytes, 'base64'),
      isInline: attachment.isInline === true,
      contentId: typeof attachment.contentId === 'string' ? attachment.contentId : null,
    };
  });
}

export function senderOf(target: DirectoryObject): Recipient {
  const name = target.user?.displayName ?? target.room?.displayName ?? target.upn;
  return { emailAddress: { name, address: target.user?.mail ?? target.upn } };
}

/** A Graph `message` JSON (as in sendMail) → a MIME message from this mailbox. */
export function composeFromJson(message: Record<string, unknown>, target: DirectoryObject, mailbox: Mailbox, requireRecipients: boolean): MimeMessage {
  const to = recipientsOf(message.toRecipients, 'toRecipients');
  const cc = recipientsOf(message.ccRecipients, 'ccRecipients');
  const bcc = recipientsOf(message.bccRecipients, 'bccRecipients');
  if (requireRecipients && to.length + cc.length + bcc.length === 0) {
    throw new GraphError(400, 'ErrorInvalidRecipients', "At least one recipient is not valid., A message can't be sent because it contains no recipients.");
  }
  if (to.length + cc.length + bcc.length > MAX_RECIPIENTS) {
    throw new GraphError(400, 'ErrorTooManyRecipients', 'The message has too many recipients. A message can have at most 500 recipients.');
  }
  const body = (message.body ?? {}) as { contentType?: unknown; content?: unknown };
  const importance = message.importance;
  return {
    from: senderOf(target),
    to,
    cc,
    bcc,
    replyTo: recipientsOf(message.replyTo, 'replyTo'),
    subject: typeof message.subject === 'string' ? message.subject : '',
    body: { contentType: String(body.contentType ?? 'text').toLowerCase() === 'html' ? 'html' : 'text', content: typeof body.content === 'string' ? body.content : '' },
    attachments: attachmentsOf(message.attachments),
    headers: checkCustomHeaders(message.internetMessageHeaders),
    messageId: newInternetMessageId(mailbox.domain),
    date: new Date(),
    importance: importance === 'low' || importance === 'high' ? importance : 'normal',
  };
}
