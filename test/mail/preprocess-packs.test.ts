import test from 'ava';
import { checkPreprocessSteps, defaultStepOrder, preprocessMessage, type PreprocessStepConfig } from '../../src/mail/preprocess/index.ts';
import { packCatalog } from '../../src/mail/preprocess/packs/pack-catalog.ts';
import { bodyMessage, parseFixture } from './mail-fixture.ts';

/** The built-in cleaning comes in client and language packs: what a pack recognises works only while it is on. */
const withPacks = (packs: string[]): PreprocessStepConfig[] => defaultStepOrder.map((step) => ({ ...step, packs }));

test('the catalog has the client packs and the seven language packs the seed names', (t) => {
  const names = packCatalog.map((pack) => pack.name);
  for (const name of ['outlook-desktop', 'outlook-web', 'outlook-mobile', 'gmail', 'apple-mail', 'thunderbird', 'en', 'de', 'fr', 'es', 'it', 'nl', 'pt']) t.true(names.includes(name as never), name);
  t.true(packCatalog.every((pack) => pack.recognises.length > 0 && pack.title !== ''));
});

test('a German Outlook header block is cut only with the German pack on', async (t) => {
  const message = await parseFixture('reply-outlook-desktop-de.eml');
  const quoted = 'Bitte starten Sie';
  t.true(preprocessMessage(message, withPacks([])).text.includes(quoted), 'every pack off: nothing language-specific is cut');
  t.true(preprocessMessage(message, withPacks(['en', 'fr'])).text.includes(quoted), 'other languages do not read German labels');
  t.false(preprocessMessage(message, withPacks(['de'])).text.includes(quoted));
  t.false(preprocessMessage(message, withPacks(['outlook-desktop', 'de'])).text.includes(quoted));
});

test('Outlook web markup needs the outlook-web (or outlook-mobile) pack; the desktop pack does not read it', (t) => {
  const message = bodyMessage({ html: '<div>Neue Antwort.</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>X:</b> y</div><div>alter Text</div>' });
  t.true(preprocessMessage(message, withPacks(['outlook-desktop', 'de'])).text.includes('alter Text'));
  t.is(preprocessMessage(message, withPacks(['outlook-web'])).text, 'Neue Antwort.');
  t.is(preprocessMessage(message, withPacks(['outlook-mobile'])).text, 'Neue Antwort.');
});

test('Gmail: the English attribution is read with the en pack, the markup with the gmail pack', async (t) => {
  const html = '<div>Done.</div><div class="gmail_quote"><div class="gmail_attr">On Mon, Oct 13, 2025 at 4:02 PM Helpdesk wrote:</div><div>Please reboot.</div></div>';
  const message = bodyMessage({ html });
  t.true(preprocessMessage(message, withPacks(['de'])).text.includes('Please reboot'));
  t.is(preprocessMessage(message, withPacks(['en'])).text, 'Done.');
  t.is(preprocessMessage(message, withPacks(['gmail'])).text, 'Done.');
  t.false(preprocessMessage(await parseFixture('reply-gmail-html-en.eml'), withPacks(['gmail', 'en'])).text.includes('password reset link'));
});

test('a ">" quote without a header needs no pack', (t) => {
  const message = bodyMessage({ text: 'Room 3 is free.\n\n> Which room can we use?\n> Thanks' });
  t.is(preprocessMessage(message, withPacks([])).text, 'Room 3 is free.');
});

test('mobile footers and closings follow the language packs; "-- " needs none', (t) => {
  const footer = bodyMessage({ text: 'Passt, danke!\n\nVon meinem iPhone gesendet' });
  t.true(preprocessMessage(footer, withPacks(['en'])).text.includes('iPhone'));
  t.is(preprocessMessage(footer, withPacks(['de'])).text, 'Passt, danke!');
  const outlookApp = bodyMessage({ text: 'On my way.\n\nGet Outlook for iOS' });
  t.true(preprocessMessage(outlookApp, withPacks(['en'])).text.includes('Get Outlook'), 'Outlook\'s own footer needs the outlook-mobile pack too');
  t.is(preprocessMessage(outlookApp, withPacks(['en', 'outlook-mobile'])).text, 'On my way.');
  const closing: PreprocessStepConfig[] = [{ step: 'remove-signature', options: { closings: true } }, { step: 'normalize-whitespace' }];
  const signed = bodyMessage({ text: 'Bitte prüfen.\n\nMit freundlichen Grüßen\nAnna Schmidt' });
  t.true(preprocessMessage(signed, closing.map((s) => ({ ...s, packs: ['en'] }))).text.includes('Anna Schmidt'));
  t.is(preprocessMessage(signed, closing.map((s) => ({ ...s, packs: ['de'] }))).text, 'Bitte prüfen.');
  const delimited = bodyMessage({ text: 'Done.\n-- \nAnna' });
  t.is(preprocessMessage(delimited, withPacks([])).text, 'Done.');
});

test('default banners and disclaimers follow the language packs; a rule file\'s own patterns always apply', (t) => {
  const message = bodyMessage({ text: 'ACHTUNG: Diese E-Mail stammt von außerhalb der Organisation.\n\nBitte den Laptop vorbereiten.' });
  t.true(preprocessMessage(message, withPacks(['en'])).text.startsWith('ACHTUNG'));
  t.is(preprocessMessage(message, withPacks(['de'])).text, 'Bitte den Laptop vorbereiten.');
  const own: PreprocessStepConfig[] = [{ step: 'remove-banner', options: { patterns: ['^achtung:'] }, packs: [] }, { step: 'normalize-whitespace' }];
  t.is(preprocessMessage(message, own).text, 'Bitte den Laptop vorbereiten.');
});

test('without a packs list on the steps every pack is used (callers that know no rule file, the benchmark)', async (t) => {
  const message = await parseFixture('reply-outlook-desktop-de.eml');
  t.false(preprocessMessage(message, defaultStepOrder).text.includes('Bitte starten Sie'));
});

test('checkPreprocessSteps names an unknown pack', (t) => {
  const problems = checkPreprocessSteps([{ step: 'remove-signature', packs: ['klingon'] }]);
  t.is(problems[0]?.pointer, '/0/packs');
  t.regex(problems[0]?.message ?? '', /known packs: .*outlook-desktop/);
});
