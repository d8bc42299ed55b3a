import test from 'ava';
import { defaultStepOrder, preprocessMessage } from '../../src/mail/preprocess/index.ts';
import { parseFixture } from './mail-fixture.ts';

/**
 * Every client and language on realistic .eml files, through all built-in steps in the recommended order:
 * the ticket text is what the sender wrote; the quote (reply) or nothing (forward) is gone.
 */
const replies: { fixture: string; text: string; quoted: string }[] = [
  { fixture: 'reply-outlook-desktop-en.eml', text: 'Hi,\n\nthe printer is still offline after the restart.\n\nThanks,\nAnna', quoted: 'Please restart the printer' },
  { fixture: 'reply-outlook-desktop-de.eml', text: 'Hallo zusammen,\n\nder Drucker ist nach dem Neustart immer noch offline.\n\nViele Grüße\nAnna', quoted: 'Bitte starten Sie' },
  { fixture: 'reply-outlook-web-fr.eml', text: 'Bonjour,\n\nle VPN refuse toujours ma connexion depuis ce matin.\n\nCordialement,\nAnna', quoted: 'nouveau client VPN' },
  { fixture: 'reply-outlook-web-es.eml', text: 'Hola,\n\nsigo sin poder conectarme al VPN.\n\nSaludos,\nAna', quoted: 'Puede probar' },
  { fixture: 'reply-outlook-mobile-it.eml', text: 'Buongiorno,\n\nla stampante è ancora guasta.\n\nGrazie,\nAnna', quoted: 'riavviare' },
  { fixture: 'reply-outlook-mobile-nl.eml', text: 'Hallo,\n\nde printer werkt nog steeds niet.\n\nGroeten,\nAnna', quoted: 'herstarten' },
  { fixture: 'reply-outlook-mobile-pt.eml', text: 'Olá,\n\na impressora continua avariada.\n\nObrigada,\nAna', quoted: 'reiniciar' },
  { fixture: 'reply-original-message-en.eml', text: 'Please renew both licenses before Friday.\n\nAnna', quoted: 'Which licenses' },
  { fixture: 'reply-original-message-de.eml', text: 'Bitte beide Lizenzen bis Freitag verlängern.\n\nAnna', quoted: 'Welche Lizenzen' },
  { fixture: 'reply-gmail-html-en.eml', text: 'The link expired again, can you send a new one?', quoted: 'password reset link' },
  { fixture: 'reply-gmail-text-de.eml', text: 'Der Link ist schon wieder abgelaufen.', quoted: 'Hier ist Ihr Link' },
  { fixture: 'reply-apple-mail-html.eml', text: 'The display in room Rhine stays black.\n\nAnna', quoted: 'working again' },
  { fixture: 'reply-ios-text.eml', text: 'Still black.', quoted: 'working again' },
  { fixture: 'reply-thunderbird-html.eml', text: 'I deleted the old backups, but the drive is still full.\n\nAnna', quoted: 'Could you delete' },
  { fixture: 'reply-thunderbird-text.eml', text: 'I deleted the old backups, but the drive is still full.\n\nAnna', quoted: 'Could you delete' },
  { fixture: 'signature-mobile-de.eml', text: 'Passt, danke!', quoted: 'iPhone' },
  { fixture: 'banner-signature-disclaimer.eml', text: 'Hi,\n\nplease prepare a laptop for our new colleague starting on Monday.', quoted: 'CAUTION' },
];

for (const { fixture, text, quoted } of replies) {
  test(`${fixture}: the ticket keeps the reply and drops the rest`, async (t) => {
    const result = preprocessMessage(await parseFixture(fixture), defaultStepOrder);
    t.is(result.text, text);
    t.false(result.text.includes(quoted));
  });
}

const forwards: { fixture: string; note: string; forwarded: string }[] = [
  { fixture: 'forward-outlook-en.eml', note: 'Can you have a look? The customer is right, I think.', forwarded: 'invoice 2025-0815 charges us twice for the same licence.' },
  { fixture: 'forward-gmail-de.eml', note: 'Bitte ansehen.', forwarded: 'die Rechnung 2025-0815 berechnet dieselbe Lizenz doppelt.' },
];

for (const { fixture, note, forwarded } of forwards) {
  test(`${fixture}: a forward keeps the forwarded request and who sent it`, async (t) => {
    const result = preprocessMessage(await parseFixture(fixture), defaultStepOrder);
    t.true(result.text.startsWith(note));
    t.true(result.text.includes(forwarded));
    t.true(result.text.includes('max@customer.example'), 'the original sender stays visible');
  });

  test(`${fixture}: with forwards "remove" only the note stays`, async (t) => {
    const result = preprocessMessage(await parseFixture(fixture), [{ step: 'remove-quoted-reply', options: { forwards: 'remove' } }, { step: 'normalize-whitespace' }]);
    t.true(result.text.startsWith(note));
    t.false(result.text.includes(forwarded));
  });
}

test('a message that is only a header block over a forwarded mail unwraps to the forwarded body with forwards "remove"', async (t) => {
  const { bodyMessage } = await import('./mail-fixture.ts');
  const message = bodyMessage({
    text: '________________________________\nVon: Max Muster <max@customer.example>\nGesendet: Montag, 13. Oktober 2025 15:15\nAn: Anna <anna@kunde.example>\nBetreff: Rechnung\n\nDie Rechnung ist doppelt.\n',
    subject: 'WG: Rechnung',
  });
  const kept = preprocessMessage(message, defaultStepOrder);
  t.true(kept.text.includes('Von: Max Muster'));
  const unwrapped = preprocessMessage(message, [{ step: 'remove-quoted-reply', options: { forwards: 'remove' } }, { step: 'normalize-whitespace' }]);
  t.is(unwrapped.text, 'Die Rechnung ist doppelt.');
});

test('reply-gmail-html-interleaved.eml: an answer between quotes stays, and no piece of the removed attribution is left', async (t) => {
  const result = preprocessMessage(await parseFixture('reply-gmail-html-interleaved.eml'), defaultStepOrder);
  // The quoted question stays as context for the answer below it; the trailing quote (the sign-off) goes.
  t.is(result.text, 'Hi, answers below.\n\n> Which laptop model do you need?\n\nA ThinkPad T14, please.');
  // The attribution's mail address sat in an <a href="mailto:…">; an emptied link comes back as its address.
  t.false(result.text.includes('helpdesk@firma.example'));
});
