import type { Attachment, DeliveryReport, DeliveryRecipient } from './message.ts';

/**
 * A delivery status notification (RFC 3464, multipart/report; report-type=delivery-status): who could not be
 * reached, why, and the Message-ID of the mail that bounced (from the returned message/rfc822 or
 * text/rfc822-headers part, or the returned headers quoted in the text, as Exchange writes them), so the outbox
 * can mark its notification bounced. Read from the raw MIME: mailparser sometimes folds the status part into the
 * text.
 */
export function readDeliveryReport(latin1: string, attachments: readonly Attachment[], text: string | null): DeliveryReport | null {
  const part = /content-type:[ \t]*message\/(?:global-)?delivery-status[^\n]*\r?\n([\s\S]*?)(?:\r?\n--[^\r\n]{1,200}\r?\n|\r?\n--[^\r\n]{1,200}--|$)/i.exec(latin1);
  const recipients = part === null ? [] : readRecipients(statusBody(part[1] ?? ''));
  const originalMessageId = returnedMessageId(attachments) ?? quotedMessageId(text, latin1);
  if (recipients.length === 0 && originalMessageId === null) return null;
  return { originalMessageId, recipients };
}

/** The part's body after its own headers; a base64 block inside it (some gateways write one) is decoded. */
function statusBody(part: string): string {
  const split = part.search(/\r?\n\r?\n/);
  let body = split < 0 ? part : part.slice(split).replace(/^\s+/, '');
  const encoded = /content-transfer-encoding:[ \t]*base64[^\n]*\n(?:[^\n]*\S[^\n]*\n)*?\r?\n([A-Za-z0-9+/=\r\n]+)/i.exec(body);
  if (encoded !== null) body = `${body.slice(0, encoded.index)}\n\n${Buffer.from((encoded[1] ?? '').replace(/\s+/g, ''), 'base64').toString('latin1')}`;
  return body;
}

/** Per-recipient field groups (RFC 3464 §2.3) are separated by blank lines; their fields come in any order. */
function readRecipients(body: string): DeliveryRecipient[] {
  const groups = body.replace(/\r\n/g, '\n').replace(/\n[ \t]+(?=\S)/g, ' ').split(/\n[ \t]*\n/).slice(0, 500);
  return groups.flatMap((group): DeliveryRecipient[] => {
    const fields = new Map<string, string>();
    for (const line of group.split('\n')) {
      const field = /^([A-Za-z-]+):[ \t]*(.*)$/.exec(line);
      if (field !== null && !fields.has((field[1] ?? '').toLowerCase())) fields.set((field[1] ?? '').toLowerCase(), (field[2] ?? '').trim());
    }
    const recipient = fields.get('final-recipient') ?? fields.get('original-recipient');
    if (recipient === undefined) return [];
    const action = fields.get('action')?.toLowerCase() ?? null;
    const statusValue = fields.get('status');
    const status = statusValue === undefined ? null : (/\d\.\d{1,3}\.\d{1,3}/.exec(statusValue)?.[0] ?? statusValue);
    const diagnostic = fields.get('diagnostic-code')?.replace(/^[^;]*;\s*/, '').slice(0, 500) ?? null;
    return [{
      address: recipient.replace(/^[^;]*;\s*/, '').replace(/^<|>$/g, '').toLowerCase(),
      action,
      status,
      diagnostic,
      permanent: action === 'failed' && (status === null || status.startsWith('5')),
    }];
  });
}

function returnedMessageId(attachments: readonly Attachment[]): string | null {
  for (const attachment of attachments) {
    if (!['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers', 'message/global', 'message/global-headers'].includes(attachment.contentType)) continue;
    const head = Buffer.from(attachment.content.subarray(0, 65536)).toString('latin1');
    const end = head.search(/\r?\n\r?\n/);
    const id = /^message-id:[ \t]*<?([^>\s]+)>?/im.exec(end < 0 ? head : head.slice(0, end))?.[1];
    if (id !== undefined) return id;
  }
  return null;
}

/** Returned headers quoted as text ("Original message headers:" in Exchange's NDR, or an inlined headers part). */
function quotedMessageId(text: string | null, latin1: string): string | null {
  const ownHeaderEnd = latin1.search(/\r?\n\r?\n/);
  const body = ownHeaderEnd < 0 ? '' : latin1.slice(ownHeaderEnd);
  const candidates = [text ?? '', body];
  for (const candidate of candidates) {
    const id = /^message-id:[ \t]*(?:\r?\n[ \t]+)?<([^>\s]+)>/im.exec(candidate)?.[1];
    if (id !== undefined) return id;
  }
  return null;
}
