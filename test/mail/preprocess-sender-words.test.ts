import test from 'ava';
import { defaultStepOrder, preprocessMessage } from '../../src/mail/preprocess/index.ts';
import { findQuoteBoundary } from '../../src/mail/preprocess/quote/find-quote-boundary.ts';
import { parseFixture } from './mail-fixture.ts';

/**
 * Losing the sender's words is the worse error: lines of their own text that merely look like a reply header
 * (a sentence starting "From:", "Sent:", "Von:") never cut the text. Only the shape mail clients write does.
 */
const keptWhole: { fixture: string; mustKeep: string[] }[] = [
  { fixture: 'sentence-starting-from.eml', mustKeep: ['From: next Monday on', 'To: everyone who still sends parcels', 'Subject: of the change', 'Thanks,'] },
  { fixture: 'sentence-starting-sent.eml', mustKeep: ['Sent: twice already', 'From: my point of view', 'Subject: the paper jam error E-204'] },
  { fixture: 'booking-from-to-date.eml', mustKeep: ['From: Berlin', 'To: Munich', 'Date: 13.10.2025', 'Subject: team offsite, cost centre 4711', 'Thanks,'] },
  { fixture: 'sentence-starting-von-de.eml', mustKeep: ['Von: nächster Woche an', 'An: alle, die noch Pakete', 'Betreff: der Änderung'] },
  { fixture: 'sentence-starting-from-html.eml', mustKeep: ['From: next Monday on', 'To: everyone who still sends parcels', 'Subject: of the change', 'Thanks,'] },
];

for (const { fixture, mustKeep } of keptWhole) {
  test(`${fixture}: the sender's lines that look like header fields stay in the ticket`, async (t) => {
    const result = preprocessMessage(await parseFixture(fixture), defaultStepOrder);
    for (const words of mustKeep) t.true(result.text.includes(words), `kept: ${words}\n---\n${result.text}`);
    t.false(result.trace.some((entry) => entry.step === 'remove-quoted-reply' && entry.changed));
  });
}

test('reply-outlook-name-only-en.eml: a real Outlook header naming a colleague (no address) still cuts the quote', async (t) => {
  const result = preprocessMessage(await parseFixture('reply-outlook-name-only-en.eml'), defaultStepOrder);
  t.is(result.text, 'The VPN works again, thanks.');
});

const shapes: { name: string; text: string; cut: boolean }[] = [
  { name: 'address in From, Sent with date, To, Subject', text: 'Answer\n\nFrom: Ann <ann@x.example>\nSent: Monday, October 13, 2025 4:02 PM\nTo: Bob\nSubject: Hi\n\nOld', cut: true },
  { name: 'Outlook "on behalf of"', text: 'Answer\n\nFrom: Foo [mailto:foo@bar.example] On Behalf Of baz@bar.example\nSent: Monday, October 13, 2025 4:02 PM\nTo: Bob\nSubject: Hi\n\nOld', cut: true },
  { name: 'Windows Mail, no Subject, full date and time', text: 'Answer\n\nОт: Alexander L\nОтправлено: четверг, 26 июня 2014 г. 15:05\nКому: Alex\n\nOld', cut: true },
  { name: 'name only, no time in the date', text: 'Answer\n\nFrom: Anna Example\nDate: 13.10.2025\nTo: Bob\nSubject: Hi\n\nOld', cut: false },
  { name: 'From value is a sentence with an address in it', text: 'Answer\n\nFrom: now on, please send every invoice to billing@x.example.\nTo: Bob <bob@x.example>\nSubject: invoices\n\nMore', cut: false },
  { name: 'a Sent value that is a sentence', text: 'Answer\n\nFrom: Ann <ann@x.example>\nSent: twice already and nobody answered.\n\nMore', cut: false },
  { name: 'framed title of unknown words over sentences', text: 'Notes\n\n--- Summary ---\nFrom: the start of the week the VPN fails.\nTo: be fixed by Friday.\nSubject: to approval.\n\nMore', cut: false },
];
for (const { name, text, cut } of shapes) {
  test(`header shape: ${name} ${cut ? 'cuts' : 'does not cut'}`, (t) => {
    const found = findQuoteBoundary(text.split('\n'));
    t.is(found !== null, cut);
  });
}
