import test from 'ava';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectionNames } from '../../src/store/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox, type MailWorld } from '../helpers/mail-world.ts';

const deliverAt = async (world: MailWorld, mime: string, minute: number): Promise<{ id: string; immutableId: string }> =>
  (await world.control.call('POST', `/_emulator/mailboxes/${encodeURIComponent(supportMailbox)}/messages?folder=Inbox%2FSupport&receivedDateTime=${encodeURIComponent(new Date(Date.UTC(2026, 10, 20, 9, minute)).toISOString())}`, mime, 'message/rfc822')) as { id: string; immutableId: string };

test('a 404 on a mail\'s MIME is checked again by id: a passing one fails and is retried, a real one is gone', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  await deliverAt(world, buildMime({ from: 'a@fabrikam.example', subject: 'Hiccup', body: 'x', messageId: 'hiccup@x' }), 1);
  await world.control.fault({ method: 'GET', path: '\\$value', status: 404, count: 1 });
  const first = await world.run(t);
  t.is(first.counts.failed, 1);
  t.is(first.items[0]!.error?.code, 'GRAPH_NOT_FOUND');
  t.regex(first.items[0]!.error?.message ?? '', /although the mail exists/);
  t.is((await world.app.tickets.listTickets()).length, 0);
  const second = await world.run(t);
  t.deepEqual(second.counts, { seen: 1, created: 1 });

  await deliverAt(world, buildMime({ from: 'a@fabrikam.example', subject: 'Deleted meanwhile', body: 'x', messageId: 'gone@x' }), 2);
  await world.control.fault({ method: 'GET', path: '\\$value', status: 404, count: 1 });
  await world.control.fault({ method: 'GET', path: '/messages/(?!delta)[^/]+$', status: 404, count: 1 });
  const third = await world.run(t);
  t.deepEqual(third.counts, { seen: 1, gone: 1 });
  t.is(third.items[0]!.outcome, 'gone');
  t.is(third.items[0]!.subject, 'Deleted meanwhile');
  t.is((await world.app.tickets.listTickets()).length, 1);
});

test('a mail delivered twice is one ticket and a duplicate line; another mail with the same Message-ID is processed on its own with a warning', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  const original = buildMime({ from: 'a@fabrikam.example', subject: 'Printer broken', body: 'It is broken.', messageId: 'same@fabrikam.example' });
  await deliverAt(world, `Received: from mx1.contoso.example by mailbox; Fri, 20 Nov 2026 09:01:00 +0000\r\nDelivered-To: support@contoso.example\r\n${original}`, 1);
  await deliverAt(world, `Received: from mx2.contoso.example by mailbox; Fri, 20 Nov 2026 09:01:02 +0000\r\nDelivered-To: helpdesk@contoso.example\r\n${original}`, 2);
  await deliverAt(world, buildMime({ from: 'b@forger.example', subject: 'Totally different', body: 'Another mail, same Message-ID.', messageId: 'same@fabrikam.example' }), 3);
  const run = await world.run(t);
  t.deepEqual(run.counts, { seen: 3, created: 2, duplicate: 1 });
  const tickets = await world.app.tickets.listTickets();
  t.deepEqual(tickets.map((x) => x.subject).sort(), ['Printer broken', 'Totally different']);
  const first = run.items.find((i) => i.outcome === 'created' && i.subject === 'Printer broken')!;
  const duplicate = run.items.find((i) => i.outcome === 'duplicate')!;
  t.is(duplicate.duplicateOf, first.key, 'the duplicate names the first');
  t.is(duplicate.target, first.target);
  const lookalike = run.items.find((i) => i.subject === 'Totally different')!;
  t.regex((lookalike.warnings as string[])[0]!, /same Message-ID <same@fabrikam.example> but different content/);
  t.is((await world.control.list(supportMailbox, 'Inbox/Processed')).length, 3, 'the duplicate gets its post-actions too');
  const again = await world.run(t);
  t.deepEqual(again.counts, {});
});

test('a rule moving mail to a missing folder fails only that mail, naming the folder, until it is quarantined; a 400 on PATCH fails its mail alone', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'mailroom-rules-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  await cp('rules/default.json', join(root, 'rules/default.json'));
  await writeFile(join(root, 'rules/moves.json'), JSON.stringify({
    name: 'moves', preprocess: [],
    rules: [
      { name: 'lost', when: "$contains(subject, 'MISSING')", action: 'create-ticket', fields: { subject: 'subject', description: 'text', requester: 'from' }, postActions: { moveTo: 'Inbox/Nowhere' } },
      { name: 'ticket', action: 'create-ticket', fields: { subject: 'subject', description: 'text', requester: 'from' } },
    ],
  }));
  const world = await startMailWorld({ root, ruleSets: { moves: join(root, 'rules/moves.json') }, job: { rules: 'moves' } });
  t.teardown(() => world.close());
  await deliverAt(world, buildMime({ from: 'a@fabrikam.example', subject: 'Ordinary one', body: 'x', messageId: 'o1@x' }), 1);
  await deliverAt(world, buildMime({ from: 'a@fabrikam.example', subject: 'MISSING folder', body: 'x', messageId: 'm@x' }), 2);
  const patched = await deliverAt(world, buildMime({ from: 'a@fabrikam.example', subject: 'Refused patch', body: 'x', messageId: 'p@x' }), 3);
  await deliverAt(world, buildMime({ from: 'a@fabrikam.example', subject: 'Ordinary two', body: 'x', messageId: 'o2@x' }), 4);
  await world.control.fault({ method: 'PATCH', path: patched.immutableId.replace(/[^A-Za-z0-9]/g, '.'), status: 400, count: 1 });

  const first = await world.run(t);
  t.deepEqual(first.counts, { seen: 4, created: 2, failed: 2 }, JSON.stringify(first.error));
  const missing = first.items.find((i) => i.subject === 'MISSING folder')!;
  t.is(missing.error?.code, 'MAIL_POST_ACTION_FAILED');
  t.regex(missing.error?.message ?? '', /"Inbox\/Nowhere"/);
  t.is(first.items.find((i) => i.subject === 'Refused patch')!.error?.code, 'GRAPH_BAD_REQUEST');
  t.deepEqual((await world.control.list(supportMailbox, 'Inbox/Processed')).map((m) => m.subject).sort(), ['Ordinary one', 'Ordinary two']);
  t.is((await world.app.tickets.listTickets()).length, 4, 'the writes of the failing mail are done; only the post-action waits');

  const second = await world.run(t);
  t.deepEqual(second.counts, { seen: 2, created: 1, failed: 1 }, 'the refused PATCH goes through now; the missing folder still fails');
  const third = await world.run(t);
  t.deepEqual(third.counts, { seen: 1, quarantined: 1 });
  t.deepEqual((await world.control.list(supportMailbox, 'Inbox/Failed')).map((m) => m.subject), ['MISSING folder']);
  t.is((await world.app.tickets.listTickets()).length, 4);
  const fourth = await world.run(t);
  t.deepEqual(fourth.counts, {});
});

test('a saved position Graph refuses (410, resyncRequired, a malformed sync state, another host, a resync on request) is dropped with a note and the folder read again, no mail twice', async (t) => {
  const world = await startMailWorld({ job: { postActions: { markRead: true, flag: false, categories: [] } } });
  t.teardown(() => world.close());
  const states = world.db.store.collection<{ _id: string; link: string }>(collectionNames.deltaState);
  const cases: { name: string; note: RegExp; refuse: () => Promise<void> }[] = [
    { name: '410', note: /Graph no longer knows it/, refuse: () => world.control.fault({ method: 'GET', path: 'messages/delta', status: 410, count: 1 }) },
    { name: 'resyncRequired', note: /Graph no longer knows it \(resyncRequired\)/, refuse: () => world.control.fault({ method: 'GET', path: 'messages/delta', status: 410, code: 'resyncRequired', count: 1 }) },
    { name: 'malformed', note: /refused it as malformed/, refuse: () => world.control.fault({ method: 'GET', path: 'messages/delta', status: 400, code: 'BadRequest', count: 1 }) },
    { name: 'other host', note: /is on https:\/\/graph\.elsewhere\.example/, refuse: async () => {
      const [state] = await states.find({}).toArray();
      await states.updateOne({ _id: state!._id }, { $set: { link: state!.link.replace(/^https:\/\/[^/]+/, 'https://graph.elsewhere.example') } });
    } },
    { name: 'resync', note: /a resync was requested/, refuse: async () => {
      const { createDeltaStateStore } = await import('../../src/mail/connector/index.ts');
      t.is(await createDeltaStateStore(world.db.store).requestResync('support', new Date()), 1);
    } },
  ];
  await deliverAt(world, buildMime({ from: 'a@fabrikam.example', subject: 'Mail 0', body: 'x', messageId: 'm0@x' }), 0);
  t.deepEqual((await world.run(t)).counts, { seen: 1, created: 1 });
  for (const [n, { name, note, refuse }] of cases.entries()) {
    await deliverAt(world, buildMime({ from: 'a@fabrikam.example', subject: `Mail ${n + 1}`, body: 'x', messageId: `m${n + 1}@x` }), n + 1);
    await refuse();
    const run = await world.run(t);
    t.is(run.status, 'succeeded', `${name}: ${JSON.stringify(run.error)}`);
    t.true(run.notes.some((line) => note.test(line) && /read again in full/.test(line)), `${name}: ${run.notes.join(' | ')}`);
    t.deepEqual(run.counts, { seen: 1, created: 1 }, name);
  }
  t.is((await world.app.tickets.listTickets()).length, cases.length + 1);
  t.deepEqual((await world.run(t)).counts, {});
});
