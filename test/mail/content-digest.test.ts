import test from 'ava';
import { ContentDigest, contentDigest } from '../../src/mail/connector/content-digest.ts';
import { largeMime } from '../bench/mail-large.ts';

// Digests the earlier (whole-buffer) implementation gave: ledgers written by it must keep matching after the upgrade,
// or a mail delivered twice across it would become a look-alike instead of a duplicate.
const earlier: [string, string][] = [
  ['From: a@x\r\nTo: b@y\r\nSubject: Hi\r\nReceived: from z\r\nMessage-ID: <m@x>\r\n\r\nBody\r\n', '4ae323855e394bbfddac27659bd879f442fb7332a4f3352a3b25254303935ea5'],
  ['From: a@x\nSubject: lf only\n folded\n\nBody\n\nmore\n', '4f1378579662a723f093d40fce5016917479758125fe1a3f4dab56f55165669e'],
  ['Subject: no body at all', 'c5206d2cc66e35a6360bd655dd8748c8437af76f3a56acb597b859ed622f3165'],
];

test('the content digest is the one earlier versions stored in the ledger', (t) => {
  for (const [mime, digest] of earlier) t.is(contentDigest(Buffer.from(mime, 'latin1')), digest, mime);
});

test('fed in pieces of any size, the digest and the file key are those of the whole mail', (t) => {
  const mails = [...earlier.map(([mime]) => mime), largeMime(1, 3000), 'A: b\n\n\r\n\r\nx', '\r\n\r\nbody only'];
  for (const mime of mails) {
    const bytes = Buffer.from(mime, 'latin1');
    const whole = new ContentDigest().update(bytes).finish();
    for (const size of [1, 2, 3, 5, 64, 1000]) {
      const digest = new ContentDigest();
      for (let at = 0; at < bytes.length; at += size) digest.update(bytes.subarray(at, at + size));
      t.deepEqual(digest.finish(), whole, `${JSON.stringify(mime.slice(0, 30))} in pieces of ${size}`);
      t.is(digest.length, bytes.length);
      t.is(digest.headerBlock().toString('latin1'), mime.split(/\r?\n\r?\n/)[0] ?? '');
    }
  }
});

test('transport headers change the file key but not the content digest; the body changes both', (t) => {
  const mail = 'From: a@x\r\nSubject: Hi\r\nMessage-ID: <m@x>\r\n\r\nBody\r\n';
  const otherDelivery = `Received: from relay\r\nDelivered-To: two@y\r\n${mail}`;
  const [a, b, c] = [mail, otherDelivery, mail.replace('Body', 'Bodies')].map((m) => new ContentDigest().update(Buffer.from(m)).finish());
  t.is(a!.digest, b!.digest);
  t.not(a!.rawKey, b!.rawKey);
  t.not(a!.digest, c!.digest);
  t.not(a!.rawKey, c!.rawKey);
});
