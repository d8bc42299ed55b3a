import test from 'ava';
import { defaultStepOrder, preprocessMessage, type PreprocessStepConfig } from '../../src/mail/preprocess/index.ts';
import { bodyMessage, parseFixture } from './mail-fixture.ts';

const run = (message: ReturnType<typeof bodyMessage>, steps: PreprocessStepConfig[]) => preprocessMessage(message, steps);

test('html-to-text keeps links and bordered tables readable and drops images', (t) => {
  const html =
    '<p>See <a href="https://status.example/incident/42">the incident page</a> and <a href="https://status.example">https://status.example</a>.</p>' +
    '<table border="1"><tr><th>Host</th><th>State</th></tr><tr><td>db-1</td><td>down</td></tr></table><img src="cid:logo" alt="logo">';
  const { text } = run(bodyMessage({ html }), [{ step: 'html-to-text' }]);
  t.true(text.includes('the incident page <https://status.example/incident/42>'));
  t.false(text.includes('https://status.example <https://status.example>'), 'a link whose text is its address is written once');
  t.regex(text, /Host\s+State/);
  t.regex(text, /db-1\s+down/);
  t.false(text.includes('logo'));
});

test('html-to-text with links: false leaves only the link text', (t) => {
  const { text } = run(bodyMessage({ html: '<a href="https://x.example/a">click</a>' }), [{ step: 'html-to-text', options: { links: false } }]);
  t.is(text, 'click');
});

test('a text-only mail passes html-to-text unchanged', (t) => {
  const result = run(bodyMessage({ text: 'plain body' }), [{ step: 'html-to-text' }]);
  t.is(result.text, 'plain body');
  t.false(result.trace[0]?.changed);
});

test('an HTML-only mail is still converted when no html-to-text step is enabled', (t) => {
  const result = run(bodyMessage({ html: '<p>only <b>HTML</b></p>' }), [{ step: 'html-to-text', enabled: false }]);
  t.is(result.text, 'only HTML');
  t.deepEqual(result.trace.map((s) => s.step), ['html-to-text (implicit)']);
});

test('a text step before html-to-text converts first and says so in the trace', (t) => {
  const result = run(bodyMessage({ html: '<div>Thanks!</div><div>-- </div><div>Anna</div><div>+49 30 123</div>' }), [
    { step: 'remove-signature' },
    { step: 'html-to-text' },
  ]);
  t.deepEqual(result.trace.map((s) => s.step), ['html-to-text (implicit)', 'remove-signature', 'html-to-text']);
  t.is(result.text.trim(), 'Thanks!');
});

test('the trace records each step with before, after and whether it changed anything', (t) => {
  const result = run(bodyMessage({ text: 'Hello   \n\n\n\nWorld\n\nSent from my iPhone' }), [{ step: 'remove-banner' }, { step: 'remove-signature' }, { step: 'normalize-whitespace' }]);
  t.deepEqual(result.trace.map((s) => [s.step, s.changed]), [['remove-banner', false], ['remove-signature', true], ['normalize-whitespace', true]]);
  t.is(result.trace[1]?.before, 'Hello   \n\n\n\nWorld\n\nSent from my iPhone');
  t.is(result.trace[2]?.after, 'Hello\n\nWorld');
  t.is(result.text, 'Hello\n\nWorld');
});

test('disabled steps do not run; enabled: true and a missing flag both run', (t) => {
  const message = bodyMessage({ text: 'Fix it please.\n\nSent from my iPhone' });
  t.is(run(message, [{ step: 'remove-signature', enabled: false }]).text, 'Fix it please.\n\nSent from my iPhone');
  t.is(run(message, [{ step: 'remove-signature', enabled: true }, { step: 'normalize-whitespace' }]).text, 'Fix it please.');
  t.is(run(message, [{ step: 'remove-signature' }, { step: 'normalize-whitespace' }]).text, 'Fix it please.');
});

test('order matters: a regex that needs the quote header must run before the quote is removed', (t) => {
  const message = bodyMessage({ text: 'Ticket #123 still broken.\n\nOn Mon, 13 Oct 2025 at 16:02, Helpdesk <helpdesk@firma.example> wrote:\n> Ticket #123 fixed?' });
  const count = (steps: PreprocessStepConfig[]) => (run(message, steps).text.match(/\[ref\]/g) ?? []).length;
  const replace: PreprocessStepConfig = { step: 'regex-replace', options: { pattern: '#\\d+', replacement: '[ref]' } };
  t.is(count([replace, { step: 'remove-quoted-reply' }]), 1);
  t.is(count([{ step: 'remove-quoted-reply' }, replace]), 1);
  t.is(count([replace]), 2);
});

test('remove-signature: "-- " delimiter, mobile footers in several languages, closings only when asked', (t) => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['Please call me.\n-- \nAnna Schmidt\n+49 30 1234567', {}, 'Please call me.'],
    ['Please call me.\n\nEnvoyé de mon iPhone', {}, 'Please call me.'],
    ['Bitte zurückrufen.\n\nVon meinem Samsung Galaxy Smartphone gesendet', {}, 'Bitte zurückrufen.'],
    ['Llámeme.\n\nEnviado desde mi iPhone', {}, 'Llámeme.'],
    ['Please call me.\n\nGet Outlook for iOS<https://aka.ms/o0ukef>', {}, 'Please call me.'],
    ['Please call me.\n\nSent from my desk, which is where I read mail.', {}, 'Please call me.\n\nSent from my desk, which is where I read mail.'],
    ['Please call me.\n\nBest regards,\nAnna Schmidt', {}, 'Please call me.\n\nBest regards,\nAnna Schmidt'],
    ['Please call me.\n\nBest regards,\nAnna Schmidt', { closings: true }, 'Please call me.'],
    ['Please call me.\n\nThanks!', { closings: true }, 'Please call me.\n\nThanks!'],
    ['Please call me.\n-- \nAnna', { delimiter: false }, 'Please call me.\n--\nAnna'],
  ];
  for (const [text, options, expected] of cases) {
    t.is(run(bodyMessage({ text }), [{ step: 'remove-signature', options }, { step: 'normalize-whitespace' }]).text, expected, text);
  }
});

test('remove-banner: default external-sender banners in several forms, custom patterns, an [EXTERNAL] tag', (t) => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['CAUTION: This email originated from outside of the organization. Do not click links.\n\nHello team', {}, 'Hello team'],
    ["You don't often get email from max@customer.example. Learn why this is important\n\nHello team", {}, 'Hello team'],
    ['ACHTUNG: Diese E-Mail stammt von außerhalb der Organisation.\n\nHallo Team', {}, 'Hallo Team'],
    ['[EXTERNAL] Hello team', {}, 'Hello team'],
    ['*** Sent via ACME secure relay ***\n\nHello team', { patterns: ['^\\*+ sent via acme'] }, 'Hello team'],
    ['Hello team\n\nCAUTION: the server room is hot', {}, 'Hello team\n\nCAUTION: the server room is hot'],
  ];
  for (const [text, options, expected] of cases) {
    t.is(run(bodyMessage({ text }), [{ step: 'remove-banner', options }, { step: 'normalize-whitespace' }]).text, expected, text);
  }
});

test('remove-disclaimer: default legal footers in several languages and custom patterns; normal text stays', (t) => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['Order 5 toner.\n\nThis e-mail and any attachments are confidential and intended solely for the addressee.', {}, 'Order 5 toner.'],
    ['Bitte 5 Toner.\n\nDiese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen.', {}, 'Bitte 5 Toner.'],
    ['5 toners svp.\n\nCe message et toutes les pièces jointes sont confidentiels et établis à l\'intention exclusive de ses destinataires.', {}, '5 toners svp.'],
    ['Order 5 toner.\n\nIf you are not able to order, tell me.', {}, 'Order 5 toner.\n\nIf you are not able to order, tell me.'],
    ['Order 5 toner.\n\nACME GmbH, Sitz Berlin, HRB 12345', { patterns: ['^ACME GmbH, Sitz'] }, 'Order 5 toner.'],
  ];
  for (const [text, options, expected] of cases) {
    t.is(run(bodyMessage({ text }), [{ step: 'remove-disclaimer', options }, { step: 'normalize-whitespace' }]).text, expected, text);
  }
});

test('normalize-whitespace: trailing spaces, blank runs, invisible characters, dangling decoration', (t) => {
  const { text } = run(bodyMessage({ text: '\u200b  Hello\u00a0there   \n\n\n\n\nBye\n\n--\n____\n' }), [{ step: 'normalize-whitespace' }]);
  t.is(text, 'Hello there\n\nBye');
});

test('user steps: regex-remove, regex-replace, cut-before, cut-after', (t) => {
  const text = 'Ref: 123\nHello,\nthe VPN is down.\n### reply above this line ###\nold stuff';
  const cases: [PreprocessStepConfig, string][] = [
    [{ step: 'regex-remove', options: { pattern: '^Ref: \\d+\\n' } }, 'Hello,\nthe VPN is down.\n### reply above this line ###\nold stuff'],
    [{ step: 'regex-replace', options: { pattern: 'vpn', flags: 'i', replacement: 'remote access' } }, 'Ref: 123\nHello,\nthe remote access is down.\n### reply above this line ###\nold stuff'],
    [{ step: 'cut-after', options: { pattern: '^### reply above this line ###' } }, 'Ref: 123\nHello,\nthe VPN is down.\n'],
    [{ step: 'cut-after', options: { pattern: '^### reply above this line ###', keepMarker: true } }, 'Ref: 123\nHello,\nthe VPN is down.\n### reply above this line ###'],
    [{ step: 'cut-before', options: { pattern: '^Hello' } }, 'Hello,\nthe VPN is down.\n### reply above this line ###\nold stuff'],
    [{ step: 'cut-before', options: { pattern: '^Hello,\\n', keepMarker: false } }, 'the VPN is down.\n### reply above this line ###\nold stuff'],
    [{ step: 'cut-after', options: { pattern: 'no such marker' } }, text],
  ];
  for (const [step, expected] of cases) t.is(run(bodyMessage({ text }), [step]).text, expected, JSON.stringify(step));
});

test('remove-quoted-reply works on HTML structure: a reply whose quote has no recognisable words is still cut at the Outlook divider', (t) => {
  const html =
    '<div>Neue Antwort.</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg"><b>X:</b> y</div><div>alter Text</div>';
  t.is(run(bodyMessage({ html }), [{ step: 'remove-quoted-reply' }, { step: 'html-to-text' }, { step: 'normalize-whitespace' }]).text, 'Neue Antwort.');
  t.is(
    run(bodyMessage({ html }), [{ step: 'remove-quoted-reply', options: { structure: false } }, { step: 'html-to-text' }, { step: 'normalize-whitespace' }]).text.includes('alter Text'),
    true,
    'with structure: false only words count, and "X: y" is no header',
  );
});

test('remove-quoted-reply clients: only the listed clients\' markup counts', (t) => {
  const html = '<div>Neue Antwort.</div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>X:</b> y</div><div>alter Text</div>';
  const steps = (clients: string[]): PreprocessStepConfig[] => [{ step: 'remove-quoted-reply', options: { clients } }, { step: 'html-to-text' }, { step: 'normalize-whitespace' }];
  t.is(run(bodyMessage({ html }), steps(['outlook'])).text, 'Neue Antwort.');
  t.true(run(bodyMessage({ html }), steps(['gmail', 'apple'])).text.includes('alter Text'));
});

test('interleaved answers between quoted lines are kept; a bottom-posted answer loses the quote above it', (t) => {
  const interleaved = 'Hi,\nOn Mon, 13 Oct 2025 at 16:02, Helpdesk <h@firma.example> wrote:\n> Which room?\nRoom 3.\n> Since when?\nSince Monday.';
  t.is(run(bodyMessage({ text: interleaved }), [{ step: 'remove-quoted-reply' }]).text, 'Hi,\n> Which room?\nRoom 3.\n> Since when?\nSince Monday.');
  const bottom = 'On Mon, 13 Oct 2025 at 16:02, Helpdesk <h@firma.example> wrote:\n> Which room?\n\nRoom 3.';
  t.is(run(bodyMessage({ text: bottom }), [{ step: 'remove-quoted-reply' }, { step: 'normalize-whitespace' }]).text, 'Room 3.');
});

test('a body that is nothing but a quote without a header is kept rather than emptied', (t) => {
  t.is(run(bodyMessage({ text: '> just a quote' }), [{ step: 'remove-quoted-reply' }]).text, '> just a quote');
});

test('defaultStepOrder holds every built-in step once, enabled', (t) => {
  t.deepEqual(
    defaultStepOrder.map((s) => s.step).sort(),
    ['html-to-text', 'normalize-whitespace', 'remove-banner', 'remove-disclaimer', 'remove-quoted-reply', 'remove-signature'],
  );
  t.true(defaultStepOrder.every((s) => s.enabled !== false));
  t.true(Object.isFrozen(defaultStepOrder));
});

test('a 5 KB line and a crafted long line are cleaned quickly (generous bound; the benchmark holds the 50 ms bar)', async (t) => {
  const lines = ['On Mon, 1 Jan 2024 ' + 'John Doe <j@example.com>, '.repeat(200), 'From: ' + 'a b c '.repeat(900), '> '.repeat(2500), '-'.repeat(5000)];
  for (const line of lines) {
    for (const message of [bodyMessage({ text: line }), bodyMessage({ html: `<div>${line.replace(/</g, '&lt;')}</div>` })]) {
      const started = performance.now();
      preprocessMessage(message, defaultStepOrder);
      t.true(performance.now() - started < 500, line.slice(0, 30));
    }
  }
  const message = await parseFixture('reply-outlook-desktop-en.eml');
  t.truthy(preprocessMessage(message, defaultStepOrder).text);
});
