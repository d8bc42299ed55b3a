import test, { type ExecutionContext } from 'ava';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileBytes } from '../../src/store/index.ts';
import { createCallCounter, messagePath } from '../../src/graph/index.ts';
import { createMessageLedger } from '../../src/mail/connector/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox, type MailWorld } from '../helpers/mail-world.ts';

/** Delivers a mail that Exchange cannot convert to MIME (a rights-protected item): its `$value` answers 500 ErrorMimeContentConversionFailed. */
async function deliverProtected(world: MailWorld, mime: string): Promise<{ id: string }> {
  return (await world.control.call('POST', `/_emulator/mailboxes/${encodeURIComponent(supportMailbox)}/messages?folder=Inbox%2FSupport&unconvertible=true`, mime, 'message/rfc822')) as { id: string };
}

const plain = (n: string, from = `Pat ${n} <pat-${n}@fabrikam.example>`): string => buildMime({ from, subject: `Plain request ${n}`, body: `Readable body ${n}.`, messageId: `plain-${n}@fabrikam.example` });

function withAttachment(from: string, subject: string, messageId: string): string {
  return [
    `From: ${from}`, 'To: Support <support@contoso.example>', `Subject: ${subject}`, 'Date: Fri, 20 Nov 2026 09:00:00 +0000', `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'Protected text.', '',
    '--b1', 'Content-Type: application/octet-stream; name="report.bin"', 'Content-Disposition: attachment; filename="report.bin"', 'Content-Transfer-Encoding: base64', '',
    Buffer.from('secret bytes').toString('base64'), '--b1--', '',
  ].join('\r\n');
}

test('mail Graph cannot convert to MIME becomes a ticket saying it could not be read, with sender and subject, and its post-actions run; it blocks no other mail of the $batch', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  await world.control.deliver(supportMailbox, plain('1'), 'Inbox/Support');
  await deliverProtected(world, buildMime({ from: 'Rita Rights <rita@fabrikam.example>', subject: 'Confidential: salaries 2027', body: 'IRM body.', messageId: 'irm-1@fabrikam.example' }));
  await deliverProtected(world, withAttachment('Sam Secure <sam@fabrikam.example>', 'Geschützter Vertrag', 'irm-2@fabrikam.example'));
  await world.control.deliver(supportMailbox, plain('2'), 'Inbox/Support');

  await world.control.resetStats();
  const run = await world.run(t);
  t.deepEqual(run.counts, { seen: 4, created: 4 }, JSON.stringify(run.items));
  t.is(run.status, 'succeeded');
  const stats = (await world.control.call('GET', '/_emulator/stats')) as { batchesByRoute: Record<string, number> };
  t.true(Object.keys(stats.batchesByRoute).some((route) => route.endsWith('/$value')), `the MIME was fetched in a $batch: ${JSON.stringify(stats.batchesByRoute)}`);
  const tickets = await world.app.tickets.listTickets();
  const rita = tickets.find((x) => x.subject === 'Confidential: salaries 2027');
  const sam = tickets.find((x) => x.subject === 'Geschützter Vertrag');
  if (!rita || !sam) return t.fail(JSON.stringify(tickets.map((x) => x.subject)));
  t.is(rita.requester?.address, 'rita@fabrikam.example');
  t.is(sam.requester?.address, 'sam@fabrikam.example');
  for (const ticket of [rita, sam]) {
    t.regex(ticket.description, /encrypted \(rights-protected\) and cannot be shown here/);
    t.is(ticket.fields.encrypted, true);
    t.false(ticket.description.includes('IRM body') || ticket.description.includes('Protected text'));
  }
  // In place of the MIME, a stand-in that any mail program opens: the properties Graph gave, and why.
  const standIn = Buffer.from(await readFileBytes(world.app.store, sam.source!.rawMimeFileId!)).toString('utf8');
  t.regex(standIn, /^From: "Sam Secure" <sam@fabrikam\.example>\r\n/);
  t.true(standIn.includes(`Subject: =?UTF-8?B?${Buffer.from('Geschützter Vertrag').toString('base64')}?=`), standIn);
  t.regex(standIn, /Graph could not convert the message to MIME \(ErrorMimeContentConversionFailed\)/);
  t.false(standIn.includes('secret bytes') || standIn.includes(Buffer.from('secret bytes').toString('base64')));
  t.true(tickets.some((x) => x.subject === 'Plain request 1' && x.description.includes('Readable body 1.')));
  t.true(tickets.some((x) => x.subject === 'Plain request 2' && x.description.includes('Readable body 2.')));
  const line = run.items.find((i) => i.subject === 'Confidential: salaries 2027');
  t.true((line?.parseWarnings as string[] | undefined)?.some((w) => w.includes('Graph could not convert the message to MIME (ErrorMimeContentConversionFailed)')), JSON.stringify(line));
  // Post-actions ran for the unreadable mail too: moved to Processed and read.
  const processed = await world.control.list(supportMailbox, 'Inbox/Processed');
  t.deepEqual(processed.map((m) => m.subject).sort(), ['Confidential: salaries 2027', 'Geschützter Vertrag', 'Plain request 1', 'Plain request 2']);
  t.true(processed.every((m) => m.isRead));
  t.deepEqual(await world.control.list(supportMailbox, 'Inbox/Support'), []);

  // The next run finds nothing left to do: the unreadable mail is finished, not retried.
  const next = await world.run(t);
  t.deepEqual(next.counts, {});
});

test('with the rule set that sets encrypted mail aside, an unconvertible mail gets no ticket, stays unread with the category that says why; other mail goes on', async (t) => {
  const world = await startMailWorld({ job: { rules: 'examples' } });
  t.teardown(() => world.close());
  await deliverProtected(world, buildMime({ from: 'Rita Rights <rita@fabrikam.example>', subject: 'Confidential: salaries 2027', body: 'IRM body.', messageId: 'irm-1@fabrikam.example' }));
  await world.control.deliver(supportMailbox, plain('1'), 'Inbox/Support');

  const run = await world.run(t);
  t.deepEqual(run.counts, { seen: 2, created: 1, ignored: 1 }, JSON.stringify(run.items));
  t.like(run.items.find((i) => i.subject === 'Confidential: salaries 2027'), { outcome: 'ignored', rule: 'encrypted-set-aside' });
  t.deepEqual((await world.app.tickets.listTickets()).map((x) => x.subject), ['Plain request 1']);
  const setAside = (await world.control.list(supportMailbox, 'Inbox/Processed')).find((m) => m.subject === 'Confidential: salaries 2027');
  t.truthy(setAside);
  t.false(setAside!.isRead);
  t.true(setAside!.categories.includes('Mailroom: encrypted, set aside'));
});

test('a conversion failure that does not repeat is not taken for a protected mail: the mail is read again and becomes a normal ticket', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  await world.control.deliver(supportMailbox, plain('1'), 'Inbox/Support');
  await world.control.fault({ method: 'GET', path: '\\$value$', status: 500, code: 'ErrorMimeContentConversionFailed', count: 1 });

  const run = await world.run(t);
  t.deepEqual(((await world.control.call('GET', '/_emulator/faults')) as { value: unknown[] }).value, [], 'the injected refusal was answered');
  t.deepEqual(run.counts, { seen: 1, created: 1 });
  const [ticket] = await world.app.tickets.listTickets();
  t.true(ticket!.description.includes('Readable body 1.'), ticket!.description);
  t.falsy(ticket!.fields.encrypted);
});

test('an unconvertible mail that an earlier run left failed is fetched on its own on the next run and becomes the same ticket', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  await deliverProtected(world, buildMime({ from: 'Rita Rights <rita@fabrikam.example>', subject: 'Confidential: salaries 2027', body: 'IRM body.', messageId: 'irm-1@fabrikam.example' }));
  // A passing 404 on the MIME of a mail that exists: the mail fails this run and waits in the ledger.
  await world.control.fault({ method: 'GET', path: '\\$value$', status: 404, count: 1 });
  const first = await world.run(t);
  t.deepEqual(first.counts, { seen: 1, failed: 1 }, JSON.stringify(first.items));

  await world.control.resetStats();
  const second = await world.run(t);
  t.deepEqual(second.counts, { seen: 1, created: 1 }, JSON.stringify(second.items));
  const stats = (await world.control.call('GET', '/_emulator/stats')) as { byRoute: Record<string, number>; batchesByRoute: Record<string, number> };
  const valueRoutes = (routes: Record<string, number>): number => Object.entries(routes).filter(([route]) => route.endsWith('/$value')).reduce((n, [, c]) => n + c, 0);
  t.is(valueRoutes(stats.byRoute), 2, `asked twice before it counts as unconvertible: ${JSON.stringify(stats.byRoute)}`);
  t.is(valueRoutes(stats.batchesByRoute), 0, `fetched on its own, not in a $batch: ${JSON.stringify(stats.batchesByRoute)}`);
  const [ticket] = await world.app.tickets.listTickets();
  t.is(ticket?.subject, 'Confidential: salaries 2027');
  t.is(ticket?.requester?.address, 'rita@fabrikam.example');
  t.regex(ticket?.description ?? '', /encrypted \(rights-protected\)/);
});

test('an encrypted S/MIME item Graph cannot convert (app-only access) is named S/MIME by its message class, not rights-protected', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  const smime = [
    'From: Eve Crypt <eve@fabrikam.example>', 'To: Support <support@contoso.example>', 'Subject: Encrypted invoice', 'Date: Fri, 20 Nov 2026 09:00:00 +0000',
    'Message-ID: <smime-1@fabrikam.example>', 'MIME-Version: 1.0', 'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
    'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment; filename="smime.p7m"', '', Buffer.from('not really CMS').toString('base64'), '',
  ].join('\r\n');
  await deliverProtected(world, smime);
  const run = await world.run(t);
  t.deepEqual(run.counts, { seen: 1, created: 1 }, JSON.stringify(run.items));
  const [ticket] = await world.app.tickets.listTickets();
  t.is(ticket?.subject, 'Encrypted invoice');
  t.is(ticket?.requester?.address, 'eve@fabrikam.example');
  t.regex(ticket?.description ?? '', /This message is encrypted \(smime\)/);
});

test('with a rule that quarantines encrypted mail, an unconvertible mail is quarantined at once with the rule\'s reason, moved to the failed folder and kept for a replay; other mail goes on', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'mailroom-rules-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'rules'));
  await writeFile(join(root, 'rules/quarantine-encrypted.json'), JSON.stringify({
    name: 'quarantine-encrypted', preprocess: [],
    rules: [
      { name: 'encrypted-to-quarantine', when: '$isEncrypted()', action: 'quarantine', fields: { reason: '"encrypted or rights-protected: open it in Outlook"' } },
      { name: 'ticket', action: 'create-ticket' },
    ],
  }));
  const world = await startMailWorld({ root, ruleSets: { 'quarantine-encrypted': join(root, 'rules/quarantine-encrypted.json') }, job: { rules: 'quarantine-encrypted' } });
  t.teardown(() => world.close());
  await deliverProtected(world, buildMime({ from: 'Rita Rights <rita@fabrikam.example>', subject: 'Confidential: salaries 2027', body: 'IRM body.', messageId: 'irm-1@fabrikam.example' }));
  await world.control.deliver(supportMailbox, plain('1'), 'Inbox/Support');

  const run = await world.run(t);
  t.deepEqual(run.counts, { seen: 2, created: 1, quarantined: 1 }, JSON.stringify(run));
  const line = run.items.find((i) => i.subject === 'Confidential: salaries 2027');
  t.like(line, { outcome: 'quarantined', error: { code: 'MAIL_QUARANTINED_BY_RULE', message: 'quarantined by rule "encrypted-to-quarantine": encrypted or rights-protected: open it in Outlook' } });
  const [held, ...others] = await world.app.quarantine.list('support');
  t.deepEqual(others, []);
  t.like(held, { subject: 'Confidential: salaries 2027', sender: 'rita@fabrikam.example', rawStored: true, error: { code: 'MAIL_QUARANTINED_BY_RULE' } });
  t.deepEqual((await world.control.list(supportMailbox, 'Inbox/Failed')).map((m) => m.subject), ['Confidential: salaries 2027']);
  t.deepEqual((await world.app.tickets.listTickets()).map((x) => x.subject), ['Plain request 1']);

  // Quarantined is final until someone replays it: the next run does not touch it.
  t.deepEqual((await world.run(t)).counts, {});
});

/** An unconvertible mail quarantined by a rule; `letThrough` rewrites the rules so a replay makes a ticket of it. */
async function quarantinedUnconvertible(t: ExecutionContext): Promise<{ world: MailWorld; letThrough(): Promise<void>; key: string }> {
  const root = await mkdtemp(join(tmpdir(), 'mailroom-rules-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, 'rules'));
  const file = join(root, 'rules/quarantine-encrypted.json');
  const ticket = { name: 'ticket', action: 'create-ticket', fields: { subject: 'subject', description: '$isEncrypted() ? "encrypted: " & $string($encryption()) : text', requester: 'from', encrypted: '$isEncrypted()' } };
  await writeFile(file, JSON.stringify({ name: 'quarantine-encrypted', preprocess: [], rules: [{ name: 'hold', when: '$isEncrypted()', action: 'quarantine', fields: { reason: '"encrypted"' } }, ticket] }));
  const world = await startMailWorld({ root, ruleSets: { 'quarantine-encrypted': file }, job: { rules: 'quarantine-encrypted' } });
  t.teardown(() => world.close());
  await deliverProtected(world, buildMime({ from: 'Rita Rights <rita@fabrikam.example>', subject: 'Confidential: salaries 2027', body: 'IRM body.', messageId: 'irm-1@fabrikam.example' }));
  t.deepEqual((await world.run(t)).counts, { seen: 1, quarantined: 1 });
  const [held] = await world.app.quarantine.list('support');
  return { world, key: held!.key, letThrough: () => writeFile(file, JSON.stringify({ name: 'quarantine-encrypted', preprocess: [], rules: [ticket] })) };
}

test('a quarantined unconvertible mail still in the mailbox is replayed from the mailbox: read from its properties again, no warning', async (t) => {
  const { world, key, letThrough } = await quarantinedUnconvertible(t);
  await letThrough();
  const replay = await world.app.quarantine.replay('support', key);
  t.deepEqual(replay.replayed.map((r) => r.from), ['mailbox']);
  t.like(replay.items[0], { outcome: 'created' });
  t.is(replay.items[0]!.warnings, undefined);
  const [ticket] = await world.app.tickets.listTickets();
  t.like(ticket, { subject: 'Confidential: salaries 2027', requester: { address: 'rita@fabrikam.example' }, fields: { encrypted: true } });
  t.is(ticket!.description, 'encrypted: rights-protected');
});

test('a quarantined unconvertible mail gone from the mailbox is replayed from its stand-in as the unreadable mail it is, not parsed as a mail, and the run line says so', async (t) => {
  const { world, key, letThrough } = await quarantinedUnconvertible(t);
  const [entry] = await createMessageLedger(world.db.store).listQuarantined('support', 10);
  const graph = world.app.graphFor('test', createCallCounter());
  // Deleted, then deleted from Deleted Items too: gone for good.
  await graph.delete(messagePath({ mailbox: supportMailbox, messageId: entry!.graphId }));
  await graph.delete(messagePath({ mailbox: supportMailbox, messageId: entry!.graphId })).catch(() => undefined);
  const standIn = Buffer.from(await readFileBytes(world.app.store, entry!.rawMimeFileId!)).toString('utf8');
  t.regex(standIn, /\r\nX-Mailroom-Stand-In: mime-unavailable\r\nX-Mailroom-Encryption: rights-protected\r\nX-Mailroom-Reason: Graph could not convert/);

  await letThrough();
  const replay = await world.app.quarantine.replay('support', key);
  t.deepEqual(replay.replayed.map((r) => r.from), ['stand-in'], 'the replay says plainly that it had only the stand-in');
  const [line] = replay.items;
  t.like(line, { outcome: 'created' });
  t.true((line!.warnings as string[] | undefined)?.some((w) => w.startsWith('replayed from the stand-in kept in place of its MIME') && w.includes('only its sender, subject and date')), JSON.stringify(line));
  t.true((line!.parseWarnings as string[] | undefined)?.some((w) => w.includes('Graph could not convert the message to MIME (ErrorMimeContentConversionFailed)')), JSON.stringify(line));
  const [ticket] = await world.app.tickets.listTickets();
  // The same ticket the first processing would have made: encrypted, from Rita; not the stand-in's text as a mail's.
  t.like(ticket, { subject: 'Confidential: salaries 2027', requester: { address: 'rita@fabrikam.example' }, fields: { encrypted: true } });
  t.is(ticket!.description, 'encrypted: rights-protected');
  t.false(ticket!.description.includes('This is a stand-in'));
  t.deepEqual(await world.app.quarantine.list('support'), []);
});
