import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMessage } from '../../src/mail/parse/index.ts';
import { decompressRtf } from '../../src/mail/parse/decompress-rtf.ts';
import { readTnef } from '../../src/mail/parse/read-tnef.ts';
import { rtfToText } from '../../src/mail/parse/rtf-to-text.ts';

/** TNEF (winmail.dat) on MimeKit's public samples: the body and the attachments become the message's. */
const corpus = (name: string): Buffer => readFileSync(fileURLToPath(new URL(`../../fixtures/mail/corpora/${name}`, import.meta.url)));
const winmail = corpus('mimekit-winmail.tnef');

function wrapInMime(tnef: Buffer): string {
  const base64 = tnef.toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    'From: Anna Schmidt <anna.schmidt@kunde.example>',
    'To: helpdesk@firma.example',
    'Subject: Scans',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: application/ms-tnef; name="winmail.dat"',
    'Content-Disposition: attachment; filename="winmail.dat"',
    'Content-Transfer-Encoding: base64',
    '',
    base64,
    '--b--',
    '',
  ].join('\r\n');
}

test('winmail.tnef: the attachments MimeKit lists (winmail.list), with their content, and the words of the RTF body', (t) => {
  const content = readTnef(winmail);
  const expectedNames = corpus('mimekit-winmail.list').toString('utf8').split(/\r?\n/).filter((line) => line !== '');
  t.deepEqual(content?.attachments.map((a) => a.filename), expectedNames);
  t.deepEqual(content?.attachments.map((a) => a.content.byteLength), [29184, 68608]);
  t.true(content?.rtf?.startsWith('{\\rtf1'));
  t.regex(content?.text ?? '', /^1{45}\n\n2{30}\n\n3{19}$/);
  t.deepEqual(content?.warnings, []);
});

test('a mail carrying winmail.dat: the files inside replace it and its body becomes the text', async (t) => {
  const message = await parseMessage(wrapInMime(winmail));
  t.deepEqual(message.attachments.map((a) => [a.filename, a.contentType, a.size]), [
    ['Untitled Attachment', 'application/octet-stream', 29184],
    ['Untitled Attachment', 'application/octet-stream', 68608],
  ]);
  t.regex(message.text ?? '', /^1{45}/);
});

test('ukr.eml (Exchange Online, KOI8-R): the HTML body inside winmail.dat is used and decoded by its charset', async (t) => {
  const message = await parseMessage(corpus('mimekit-tnef-ukr.eml'));
  t.true(message.html?.includes('шостий'));
  t.false(message.attachments.some((a) => a.filename === 'winmail.dat'), 'nothing else was inside: winmail.dat is not kept as a file');
  t.true(message.text?.startsWith('шостий'), 'the MIME text part stays the text');
});

test('a truncated winmail.dat yields what it holds up to the cut, with warnings, and never throws', async (t) => {
  const content = readTnef(winmail.subarray(0, 40000));
  t.deepEqual(content?.attachments.map((a) => a.filename), ['Untitled Attachment']);
  t.true((content?.warnings.length ?? 0) > 0);
  for (const cut of [7, 100, 3000, 20000, 90000]) t.notThrows(() => readTnef(winmail.subarray(0, cut)));
  const unreadable = await parseMessage(wrapInMime(winmail.subarray(0, 30)));
  t.deepEqual(unreadable.attachments.map((a) => a.filename), ['winmail.dat'], 'nothing readable: the original file is kept');
});

test('not TNEF: readTnef says so', (t) => {
  t.is(readTnef(Buffer.from('%PDF-1.4 not tnef')), null);
});

test('compressed RTF: an uncompressed ("MELA") stream is returned as is; the LZFu prefix dictionary resolves references', (t) => {
  const body = Buffer.from('{\\rtf1 hi}');
  const header = Buffer.alloc(16);
  header.writeUInt32LE(body.length + 12, 0);
  header.writeUInt32LE(body.length, 4);
  header.writeUInt32LE(0x414c454d, 8);
  t.is(Buffer.from(decompressRtf(Buffer.concat([header, body]))).toString('latin1'), '{\\rtf1 hi}');
  // One control byte (first token a reference), the reference 0x0002 → offset 0, length 4: "{\rtf" starts the dictionary.
  const lz = Buffer.alloc(16);
  lz.writeUInt32LE(15, 0);
  lz.writeUInt32LE(4, 4);
  lz.writeUInt32LE(0x75465a4c, 8);
  t.is(Buffer.from(decompressRtf(Buffer.concat([lz, Buffer.from([0x01, 0x00, 0x02])]))).toString('latin1'), '{\\rt');
});

test('rtfToText: paragraphs, escapes, \\u with its fallback skipped, code-page bytes; ignorable groups dropped; \\fromhtml1 gives the HTML', (t) => {
  const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');
  const rtf = '{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}{\\*\\generator Riched20;}Gr\\\'fc\\\'dfe\\par Caf\\u233?\\par \\{x\\}}';
  t.deepEqual(rtfToText(rtf, latin1), { text: 'Grüße\nCafé\n{x}', html: null });
  const wrapped = '{\\rtf1\\ansi\\fbidis\\fromhtml1{\\*\\htmltag19 <html>}{\\*\\htmltag64 <p>}\\htmlrtf {\\htmlrtf0 Hallo\\htmlrtf }\\htmlrtf0{\\*\\htmltag72 </p>}{\\*\\htmltag27 </html>}}';
  t.deepEqual(rtfToText(wrapped, latin1), { text: '', html: '<html><p>Hallo</p></html>' });
});
