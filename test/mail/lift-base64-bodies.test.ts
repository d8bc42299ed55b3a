import test from 'ava';
import { createHash } from 'node:crypto';
import { parseMessage } from '../../src/mail/parse/index.ts';
import { liftBase64Bodies } from '../../src/mail/parse/lift-base64-bodies.ts';

/** Deterministic bytes that are not text (every byte value occurs), so a wrong decode cannot look right by chance. */
function bytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i += 1) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const wrapped = (data: Buffer, eol = '\r\n'): string => data.toString('base64').replace(/.{76}/g, `$&${eol}`).replace(/\r?\n$/, '');

function mail(parts: string[], eol = '\r\n'): string {
  return [
    'From: Anna <anna@kunde.example>', 'To: support@contoso.example', 'Subject: Invoice', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="outer"', '',
    ...parts.flatMap((part) => ['--outer', part]), '--outer--', '',
  ].join(eol);
}

const textPart = 'Content-Type: text/plain; charset=utf-8\r\n\r\nPlease see the attached invoice.';
const filePart = (data: Buffer, type = 'application/pdf', name = 'invoice.pdf', body = wrapped(data)): string =>
  `Content-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}`;
const sha = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

test('a large base64 attachment is lifted out of the MIME and comes back byte for byte, with the text beside it', async (t) => {
  const pdf = bytes(300_000, 1);
  const image = bytes(20_000, 2);
  const raw = mail([textPart, filePart(pdf), filePart(image, 'image/png', 'logo.png')]);
  const lifted = liftBase64Bodies(raw);
  t.is(lifted?.contents.size, 2, 'both attachment bodies are lifted');
  t.true(lifted!.mime.length < 2_000, 'the copy mailparser reads holds markers, not the bodies');
  const message = await parseMessage(raw);
  t.is(message.text?.trim(), 'Please see the attached invoice.');
  t.deepEqual(message.attachments.map((a) => [a.filename, a.contentType, a.size, a.checksum]), [
    ['invoice.pdf', 'application/pdf', pdf.length, sha(pdf)],
    ['logo.png', 'image/png', image.length, sha(image)],
  ]);
  t.true(Buffer.from(message.attachments[0]!.content).equals(pdf));
});

test('nested multiparts with LF line ends and a last line with padding are followed', async (t) => {
  const image = bytes(30_001, 3); // 30,001 bytes: the base64 ends in one "=" of padding
  const related = [
    'Content-Type: multipart/related; boundary="inner"', '',
    '--inner', 'Content-Type: text/html; charset=utf-8', '', '<p>Hi <img src="cid:logo@x"></p>',
    '--inner', 'Content-Type: image/gif', 'Content-ID: <logo@x>', 'Content-Transfer-Encoding: base64', '', wrapped(image, '\n'),
    '--inner--', '',
  ].join('\n');
  const raw = mail([related], '\n');
  t.is(liftBase64Bodies(raw)?.contents.size, 1);
  const message = await parseMessage(raw);
  t.is(message.html?.trim(), '<p>Hi <img src="cid:logo@x"></p>');
  t.is(message.attachments.length, 1);
  t.is(message.attachments[0]!.contentId, 'logo@x');
  t.true(message.attachments[0]!.inline);
  t.is(message.attachments[0]!.checksum, sha(image));
});

const notLifted: [string, string][] = [
  ['a text part in base64', mail([filePart(Buffer.from('Hello '.repeat(5_000)), 'text/plain', 'notes.txt')])],
  ['a body with a stray character', mail([filePart(bytes(30_000, 4), 'application/pdf', 'a.pdf', `${wrapped(bytes(30_000, 4))}\r\n!`)])],
  ['a body padded in the middle', mail([filePart(bytes(30_000, 5), 'application/pdf', 'a.pdf', `${Buffer.from('x').toString('base64')}\r\n${wrapped(bytes(30_000, 5))}`)])],
  ['a small body', mail([filePart(bytes(1_000, 6))])],
  ['an attached message', mail([`Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n${wrapped(Buffer.from(`Subject: inner\r\n\r\n${'x'.repeat(30_000)}`))}`])],
  ['a part with two Content-Transfer-Encoding headers', mail([`Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${wrapped(bytes(30_000, 7))}`])],
  ['an unterminated multipart', mail([filePart(bytes(30_000, 8))]).replace('--outer--', '')],
];

for (const [what, raw] of notLifted) {
  test(`not lifted, and parsed by mailparser as before: ${what}`, async (t) => {
    t.is(liftBase64Bodies(raw), null);
    const message = await parseMessage(raw);
    t.true(message.attachments.length + (message.text === null ? 0 : 1) > 0, 'the part is still read');
  });
}

test('when a marker does not come back as exactly one attachment, the original bytes are parsed instead', async (t) => {
  // The second attachment's content is the marker text the first body is replaced by: the check sees two matches.
  const pdf = bytes(40_000, 9);
  const impostor = Buffer.from('mailroom lifted body 0 of 1', 'latin1');
  const raw = mail([filePart(pdf), filePart(impostor, 'application/octet-stream', 'marker.bin')]);
  t.is(liftBase64Bodies(raw)?.contents.size, 1);
  const message = await parseMessage(raw);
  t.deepEqual(message.attachments.map((a) => a.checksum), [sha(pdf), sha(impostor)]);
});
