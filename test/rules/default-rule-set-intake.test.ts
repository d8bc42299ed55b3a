import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseMessage, type Message } from '../../src/mail/parse/index.ts';
import { preprocessMessage } from '../../src/mail/preprocess/index.ts';
import { compileRuleSet, evaluateRules, type CompiledRuleSet, type RuleInput } from '../../src/rules/index.ts';

/** The shipped default rule set on real-shaped mail: spoofing, encryption, the sender policy and the cap. */
const root = new URL('../../', import.meta.url);
const rawDefault = JSON.parse(readFileSync(new URL('rules/default.json', root), 'utf8')) as Record<string, unknown>;
const defaultSet = compileRuleSet('rules/default.json', rawDefault);
const fixture = async (path: string): Promise<Message> => parseMessage(readFileSync(fileURLToPath(new URL(`fixtures/mail/${path}`, root))));

async function decide(set: CompiledRuleSet, message: Message, extra: Partial<RuleInput> = {}) {
  const text = preprocessMessage(message, set.preprocess).text;
  return evaluateRules(set, { message, text, mailbox: 'helpdesk@firma.example', ...extra });
}

test('DMARC failed for an outside domain (Exchange Online header): a new ticket marked as suspected spoofing, never threaded by its token', async (t) => {
  const message = await fixture('preprocess/auth-dmarc-fail-exchange-online.eml');
  const decision = await decide(defaultSet, message, { knownThread: true });
  t.is(decision.rule, 'suspected-spoofing');
  t.is(decision.action, 'create-ticket');
  t.is(decision.fields.subject, '[Suspected spoofing] RE: [#1234] Your account');
  t.is(decision.fields.suspectedSpoofing, true);
  t.true(decision.postActions.categories?.includes('Mailroom: suspected spoofing'));
});

test('the same reply with DMARC passing goes into its ticket', async (t) => {
  const message = await fixture('preprocess/auth-dmarc-pass-exchange-online.eml');
  const decision = await decide(defaultSet, message);
  t.is(decision.rule, 'reply-to-ticket');
  t.is(decision.fields.ticketNumber, 1234);
});

test('S/MIME-encrypted mail becomes a ticket that says so, with its sender and subject', async (t) => {
  const decision = await decide(defaultSet, await fixture('preprocess/smime-encrypted.eml'));
  t.is(decision.rule, 'new-ticket');
  t.is(decision.fields.subject, 'Encrypted: VPN credentials');
  t.like(decision.fields.requester as object, { address: 'anna.schmidt@kunde.example' });
  t.regex(String(decision.fields.description), /encrypted \(smime\).*Open it in Outlook/);
  t.is(decision.fields.encrypted, true);
});

test('S/MIME-signed mail becomes an ordinary ticket with its text', async (t) => {
  const decision = await decide(defaultSet, await fixture('preprocess/smime-signed-with-attachment.eml'));
  t.is(decision.rule, 'new-ticket');
  t.regex(String(decision.fields.description), /the signed contract is attached/);
  t.is(decision.fields.encrypted, undefined);
});

test('an abuse report (ARF) is ignored as auto-generated', async (t) => {
  const decision = await decide(defaultSet, await fixture('corpora/postal-mime-arf.eml'));
  t.is(decision.rule, 'ignore-auto-generated');
});

test('a denied sender, or one missing from a non-empty allow list, creates nothing and is marked', async (t) => {
  const message = await fixture('preprocess/reply-outlook-desktop-en.eml');
  const denied = compileRuleSet('d.json', { ...rawDefault, senderPolicy: { deny: ['kunde.example'] } });
  const decision = await decide(denied, message);
  t.deepEqual([decision.rule, decision.action], ['blocked-sender', 'ignore']);
  t.true(decision.postActions.categories?.includes('Mailroom: blocked sender'));
  const allowOnly = compileRuleSet('a.json', { ...rawDefault, senderPolicy: { allow: ['firma.example'] } });
  t.is((await decide(allowOnly, message)).rule, 'blocked-sender');
  const allowed = compileRuleSet('b.json', { ...rawDefault, senderPolicy: { allow: ['*.example'] } });
  t.not((await decide(allowed, message)).rule, 'blocked-sender');
});

test('over the per-sender cap a new mail stays unread in the mailbox with a category; a reply to a ticket is not capped', async (t) => {
  const fresh = await parseMessage('From: Loop Bot <bot@vendor.example>\r\nTo: helpdesk@firma.example\r\nSubject: Status\r\nContent-Type: text/plain\r\n\r\nStatus OK\r\n');
  const over = await decide(defaultSet, fresh, { senderStats: { newTicketsLastHour: 20 } });
  t.deepEqual([over.rule, over.action], ['over-sender-cap', 'ignore']);
  t.is(over.postActions.markRead, false);
  t.true(over.postActions.categories?.includes('Mailroom: sender over hourly limit'));
  t.is((await decide(defaultSet, fresh, { senderStats: { newTicketsLastHour: 19 } })).rule, 'new-ticket');
  const reply = await fixture('preprocess/auth-dmarc-pass-exchange-online.eml');
  t.is((await decide(defaultSet, reply, { senderStats: { newTicketsLastHour: 500 } })).rule, 'reply-to-ticket');
});
