import { randomUUID } from 'node:crypto';

export interface NdrInput {
  /** The mailbox that sent the bounced mail (it gets the report). */
  sender: string;
  /** The address Exchange could not resolve. */
  recipient: string;
  /** The bounced mail as sent: its header block is returned in the report. */
  original: Buffer;
  date: Date;
}

const emulatedServer = 'EMU01MB0001.emulator.prod.exchangelabs.com';

/**
 * A non-delivery report as Exchange Online writes it when a recipient in one of the tenant's own domains does not
 * exist: `multipart/report; report-type=delivery-status` with the readable text, the `message/delivery-status` part
 * (`Status: 5.1.10`, `Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; …`) and the original headers as
 * `text/rfc822-headers`, from "Microsoft Outlook", threaded to the bounced mail
 * (https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/fix-error-code-550-5-1-10-in-exchange-online).
 */
export function buildNdr(input: NdrInput): Buffer {
  const head = input.original.toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const headers = (end < 0 ? head : head.slice(0, end)).replace(/\r?\n/g, '\r\n');
  const messageId = /^message-id:[ \t]*(<[^>\r\n]+>)/im.exec(headers)?.[1] ?? null;
  const subject = /^subject:[ \t]*([^\r\n]*)/im.exec(headers)?.[1] ?? '';
  const domain = input.sender.split('@')[1] ?? 'contoso.example';
  const [local, recipientDomain] = input.recipient.split('@');
  const boundary = randomUUID();
  const date = input.date.toUTCString().replace('GMT', '+0000');
  const diagnostic = '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup';
  return Buffer.from([
    `From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@${domain}>`,
    `To: <${input.sender}>`,
    `Date: ${date}`,
    `Subject: Undeliverable: ${subject}`,
    `Message-ID: <${randomUUID()}@${emulatedServer}>`,
    ...(messageId ? [`In-Reply-To: ${messageId}`, `References: ${messageId}`] : []),
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    'X-MS-Exchange-Message-Is-Ndr:',
    'Content-Language: en-US',
    'Auto-Submitted: auto-replied',
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset="us-ascii"',
    '',
    `Your message to ${input.recipient} couldn't be delivered.`,
    '',
    `${local} wasn't found at ${recipientDomain}.`,
    '',
    `Error: ${diagnostic}`,
    `Message rejected by: ${emulatedServer}`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns;${emulatedServer}`,
    `Arrival-Date: ${date}`,
    '',
    `Final-Recipient: rfc822;${input.recipient}`,
    'Action: failed',
    'Status: 5.1.10',
    `Diagnostic-Code: smtp;${diagnostic}`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    headers,
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n'), 'latin1');
}
