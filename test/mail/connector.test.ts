import test from 'ava';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox } from '../helpers/mail-world.ts';

test('a folder of varied mail becomes tickets, comments and ignored mail; post-actions happen; a second run does nothing new', async (t) => {
  const world = await startMailWorld();
  t.teardown(() => world.close());
  const { control, app } = world;
  await control.deliver(supportMailbox, buildMime({ from: 'Ann Lee <ann@fabrikam.example>', subject: 'Printer on floor 3 is jammed', body: 'Hi,\n\nthe printer on floor 3 is jammed again.\n\nThanks,\nAnn', messageId: 'req-1@fabrikam.example', importance: 'high', date: 'Fri, 20 Nov 2026 09:00:00 +0000', attachment: { filename: 'photo.txt', contentType: 'text/plain', content: 'pretend this is a photo' } }), 'Inbox/Support');
  await control.deliver(supportMailbox, buildMime({ from: 'Bo <bo@fabrikam.example>', subject: 'VPN drops every hour', body: 'Since Monday my VPN drops.', messageId: 'req-2@fabrikam.example', date: 'Fri, 20 Nov 2026 09:05:00 +0000' }), 'Inbox/Support');
  await control.deliver(supportMailbox, buildMime({ from: 'Ann Lee <ann@fabrikam.example>', subject: 'Re: Printer on floor 3 is jammed', body: 'It works again after a restart.\n\nOn Fri, Ann Lee wrote:\n> the printer on floor 3 is jammed again.', messageId: 'req-1-reply@fabrikam.example', inReplyTo: 'req-1@fabrikam.example', references: ['req-1@fabrikam.example'], date: 'Fri, 20 Nov 2026 10:00:00 +0000' }), 'Inbox/Support');
  await control.deliver(supportMailbox, buildMime({ from: 'Bo <bo@fabrikam.example>', subject: 'Automatic reply: VPN drops every hour', body: 'I am out of office until Monday.', messageId: 'oof-1@fabrikam.example', headers: { 'Auto-Submitted': 'auto-replied' }, date: 'Fri, 20 Nov 2026 10:05:00 +0000' }), 'Inbox/Support');
  await control.deliver(supportMailbox, buildMime({ from: 'someone@elsewhere.example', subject: 'Not for this job', body: 'I stay in the Inbox.', messageId: 'other@elsewhere.example' }), 'Inbox');

  const run = await world.run(t);
  t.is(run.status, 'succeeded', JSON.stringify(run.error));
  t.deepEqual(run.counts, { seen: 4, created: 2, updated: 1, ignored: 1 });

  const tickets = await app.tickets.listTickets();
  t.deepEqual(tickets.map((x) => x.subject).sort(), ['Printer on floor 3 is jammed', 'VPN drops every hour']);
  const printer = tickets.find((x) => x.subject.startsWith('Printer'))!;
  t.is(printer.requester?.address, 'ann@fabrikam.example');
  t.is(printer.priority, 'high');
  t.regex(printer.description, /jammed again/);
  t.is(printer.attachments.length, 1);
  t.truthy(printer.attachments[0]!.fileId);
  t.truthy(printer.source?.rawMimeFileId);
  const comments = await app.tickets.listComments(printer.number);
  t.is(comments.length, 1);
  t.regex(comments[0]!.body, /works again/);
  t.notRegex(comments[0]!.body, /jammed again/, 'the quoted history is cleaned from the comment');

  // Post-actions: everything processed left Inbox/Support for Inbox/Processed, read; the Inbox is untouched.
  t.deepEqual(await control.list(supportMailbox, 'Inbox/Support'), []);
  const processed = await control.list(supportMailbox, 'Inbox/Processed');
  t.is(processed.length, 4);
  t.true(processed.every((m) => m.isRead));
  t.true(processed.some((m) => m.categories.includes('Mailroom: ignored')));
  t.is((await control.list(supportMailbox, 'Inbox')).length, 1);

  const again = await world.run(t);
  t.is(again.status, 'succeeded');
  t.is(again.counts.created ?? 0, 0);
  t.is(again.counts.updated ?? 0, 0);
  t.is((await app.tickets.listTickets()).length, 2);
});

test('a reply arriving in a later run threads into its ticket by token and by References', async (t) => {
  const world = await startMailWorld({ job: { postActions: { markRead: true, flag: false, categories: [] } } });
  t.teardown(() => world.close());
  const { control, app } = world;
  await control.deliver(supportMailbox, buildMime({ from: 'ann@fabrikam.example', subject: 'Laptop fan is loud', body: 'Very loud.', messageId: 'fan@fabrikam.example' }), 'Inbox/Support');
  await world.run(t);
  const [ticket] = await app.tickets.listTickets();
  await control.deliver(supportMailbox, buildMime({ from: 'ann@fabrikam.example', subject: `Re: Laptop fan is loud [#${ticket!.number}]`, body: 'Any news?', messageId: 'fan-2@fabrikam.example' }), 'Inbox/Support');
  await control.deliver(supportMailbox, buildMime({ from: 'ann@fabrikam.example', subject: 'Re: Laptop fan is loud', body: 'Still loud.', messageId: 'fan-3@fabrikam.example', references: ['fan@fabrikam.example'] }), 'Inbox/Support');
  const second = await world.run(t);
  t.is(second.counts.updated, 2);
  t.is((await app.tickets.listTickets()).length, 1);
  t.deepEqual((await app.tickets.listComments(ticket!.number)).map((c) => c.body.trim()), ['Any news?', 'Still loud.']);
});
