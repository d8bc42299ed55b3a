import { gmailHtml } from './gmail-html.ts';
import { binaryPart, multipart, renderMessage, textPart, type MimePart } from './mime-parts.ts';
import { outlookHtml } from './outlook-html.ts';
import { addressOf, companyName, greeting, paragraph, personName, subjectLine } from './prose.ts';
import type { SeededRandom } from './seeded-random.ts';

export type MailKind = 'outlook-reply' | 'gmail-reply' | 'html-new' | 'plain' | 'forward' | 'auto-reply';

/** How often each kind occurs (sums to 1): mostly HTML replies, some plain text, a few forwards and auto-replies. */
export const kindShares: ReadonlyArray<[MailKind, number]> = [
  ['outlook-reply', 0.33], ['gmail-reply', 0.27], ['html-new', 0.12], ['plain', 0.18], ['forward', 0.06], ['auto-reply', 0.04],
];
export const attachmentShare = 0.15;

export interface CorpusMail {
  mime: string;
  kind: MailKind;
  messageId: string;
  attachments: number;
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const fileKinds = [
  { ext: 'pdf', type: 'application/pdf', magic: Buffer.from('%PDF-1.7\n') },
  { ext: 'xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: Buffer.from('PK\x03\x04') },
  { ext: 'png', type: 'image/png', magic: pngSignature },
  { ext: 'docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: Buffer.from('PK\x03\x04') },
];

function pickKind(r: SeededRandom): MailKind {
  let x = r.next();
  for (const [kind, share] of kindShares) {
    if ((x -= share) < 0) return kind;
  }
  return 'plain';
}

/** Random bytes behind a file's magic number: compressed formats (PNG, PDF, Office) do not compress further. */
const fileData = (r: SeededRandom, magic: Buffer, size: number): Buffer => Buffer.concat([magic, r.bytes(Math.max(0, size - magic.length))]);

function attachmentParts(r: SeededRandom, index: number): MimePart[] {
  const count = r.chance(0.25) ? 2 : 1;
  return Array.from({ length: count }, (_, k) => {
    const kind = r.pick(fileKinds);
    return binaryPart({ type: kind.type, filename: `document-${index}-${k + 1}.${kind.ext}`, data: fileData(r, kind.magic, r.logUniform(100_000, 5_000_000 / count)) });
  });
}

export interface MailContext {
  index: number;
  date: Date;
  /** Message-IDs of earlier mail of the corpus: a reply may continue one of their threads. */
  earlier: readonly string[];
  seedTag: string;
  attachmentShare: number;
}

/** One mail of the corpus: a client's HTML or plain text shape, a signature image, attachments now and then. */
export function corpusMail(r: SeededRandom, ctx: MailContext): CorpusMail {
  const kind = pickKind(r);
  const author = personName(r);
  const from = `${author} <${addressOf(author, companyName(r))}>`;
  const messageId = `bench-${ctx.seedTag}-${ctx.index}@mail.${kind}.example`;
  const isReply = kind === 'outlook-reply' || kind === 'gmail-reply' || (kind === 'plain' && r.chance(0.5));
  const topic = subjectLine(r);
  const subject = kind === 'auto-reply' ? `Automatic reply: ${topic}` : kind === 'forward' ? `FW: ${topic}` : isReply ? `RE: ${topic}` : topic;
  const headers = [`From: ${from}`, 'To: Support <support@contoso.example>', `Subject: ${subject}`, `Date: ${ctx.date.toUTCString().replace('GMT', '+0000')}`, `Message-ID: <${messageId}>`];
  if (isReply) {
    const parent = ctx.earlier.length > 0 && r.chance(0.4) ? r.pick(ctx.earlier) : `external-${ctx.seedTag}-${ctx.index}@elsewhere.example`;
    headers.push(`In-Reply-To: <${parent}>`, `References: <${parent}>`);
  }
  if (kind === 'outlook-reply' || kind === 'forward' || kind === 'html-new') headers.push('X-MS-Has-Attach: yes', 'Thread-Topic: ' + topic, 'Accept-Language: en-GB, en-US', 'X-MS-TNEF-Correlator:');
  if (kind === 'auto-reply') headers.push('Auto-Submitted: auto-replied', 'X-Auto-Response-Suppress: All');
  const body = [greeting(r), ...Array.from({ length: r.int(1, 3) }, () => paragraph(r))];
  const attachments = kind !== 'auto-reply' && r.chance(ctx.attachmentShare) ? attachmentParts(r, ctx.index) : [];
  let root: MimePart;
  if (kind === 'plain' || kind === 'auto-reply') {
    const quoted = isReply ? `\n\nOn ${new Date(ctx.date.getTime() - 3_600_000).toUTCString()}, Support wrote:\n${Array.from({ length: r.int(1, 4) }, () => `> ${paragraph(r)}`).join('\n>\n')}\n` : '';
    root = textPart('text/plain', kind === 'auto-reply' ? `I am out of the office until ${r.int(2, 28)} December with limited access to mail.\n` : `${body.join('\n\n')}\n\n${author}\n${quoted}`);
  } else {
    const cid = r.chance(0.75) ? `image001.png@01DB${ctx.index.toString(16).padStart(4, '0')}.SIG` : null;
    const targetBytes = kind === 'html-new' ? r.logUniform(5_000, 12_000) : r.logUniform(5_000, 60_000);
    const html = kind === 'gmail-reply'
      ? gmailHtml(r, { author, body, date: ctx.date, signatureCid: cid, targetBytes })
      : outlookHtml(r, { author, body: kind === 'forward' ? ['Please see the mail below, can you take this one?'] : body, subject: kind === 'forward' ? topic : `RE: ${topic}`, date: ctx.date, signatureCid: cid, targetBytes });
    const alternative = multipart('alternative', `alt-${ctx.index}`, [textPart('text/plain', html.text), textPart('text/html', html.html)]);
    root = cid ? multipart('related', `rel-${ctx.index}`, [alternative, binaryPart({ type: 'image/png', filename: 'image001.png', data: fileData(r, pngSignature, r.logUniform(10_000, 40_000)), inlineCid: cid })]) : alternative;
  }
  if (attachments.length > 0) root = multipart('mixed', `mix-${ctx.index}`, [root, ...attachments]);
  return { mime: renderMessage(headers, root), kind, messageId, attachments: attachments.length };
}
