import test from 'ava';
import { systemClock } from '../../src/core/index.ts';
import { runJob } from '../../src/jobs/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { createNotificationsHandler } from '../../src/notify/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox } from '../helpers/mail-world.ts';
import { notificationsJob, type SentMail } from './helpers/notify-world.ts';

test('mail → ticket → one acknowledgement; the reply to it becomes a comment on the same ticket; an auto-reply creates and triggers nothing', async (t) => {
  const world = await startMailWorld({ job: { postActions: { markRead: true, flag: false, categories: [] } } });
  t.teardown(() => world.close());
  const { control, app } = world;
  const logger = createSilentLogger();
  const notify = () => runJob(notificationsJob, createNotificationsHandler({
    store: app.store, graphFor: app.graphFor, clock: systemClock, logger, notificationsFile: 'rules/notifications.json', ownMailboxes: [supportMailbox],
  }), { results: app.results, logger });
  const sent = async (): Promise<SentMail[]> => (await control.sent(supportMailbox)) as unknown as SentMail[];
  const events = async (): Promise<number> => app.store.collection('ticket_events').countDocuments();

  // The job connects to the empty folder first: mail found on a first connection is backlog and never acknowledged.
  await world.run(t);
  await control.deliver(supportMailbox, buildMime({ from: 'Ann Lee <ann@fabrikam.example>', subject: 'Printer on floor 3 is jammed', body: 'It is jammed again.', messageId: 'req-1@fabrikam.example' }), 'Inbox/Support');
  t.is((await app.runJobNow('support')).counts.created, 1);
  const [ticket] = await app.tickets.listTickets();

  const first = await notify();
  t.is(first.counts.sent, 1, JSON.stringify(first.items));
  const [ack] = await sent();
  t.deepEqual(ack!.to.map((r) => r.emailAddress.address), ['ann@fabrikam.example']);
  t.true(ack!.subject.includes(`[#${ticket!.number}]`), ack!.subject);
  t.is((await notify()).counts.sent ?? 0, 0);
  t.is((await sent()).length, 1, 'exactly one acknowledgement');

  // Ann answers the acknowledgement; her client dropped the token from the subject and only our Message-ID links it.
  await control.deliver(supportMailbox, buildMime({
    from: 'Ann Lee <ann@fabrikam.example>', subject: 'Re: We received your request', body: 'It is also making noises.',
    messageId: 'req-1-reply@fabrikam.example', inReplyTo: ack!.internetMessageId.replace(/^<|>$/g, ''), references: [ack!.internetMessageId.replace(/^<|>$/g, '')],
  }), 'Inbox/Support');
  const replyRun = await app.runJobNow('support');
  t.is(replyRun.counts.updated, 1, JSON.stringify(replyRun.items));
  t.is((await app.tickets.listTickets()).length, 1);
  t.deepEqual((await app.tickets.listComments(ticket!.number)).map((c) => c.body.trim()), ['It is also making noises.']);
  await notify();
  t.is((await sent()).length, 1, 'the shipped rules do not echo a requester\'s own comment');

  // Ann's out-of-office answers the acknowledgement: no ticket, no comment, no event, no mail.
  const eventsBefore = await events();
  await control.deliver(supportMailbox, buildMime({
    from: 'Ann Lee <ann@fabrikam.example>', subject: `Automatic reply: ${ack!.subject}`, body: 'I am out of office until Monday.',
    messageId: 'oof-1@fabrikam.example', inReplyTo: ack!.internetMessageId.replace(/^<|>$/g, ''), headers: { 'Auto-Submitted': 'auto-replied' },
  }), 'Inbox/Support');
  const oofRun = await app.runJobNow('support');
  t.is(oofRun.counts.ignored, 1, JSON.stringify(oofRun.counts));
  t.is((await app.tickets.listTickets()).length, 1);
  t.is((await app.tickets.listComments(ticket!.number)).length, 1);
  t.is(await events(), eventsBefore);
  const last = await notify();
  t.is(last.counts.sent ?? 0, 0);
  t.is(last.counts.events ?? 0, 0);
  t.is((await sent()).length, 1);
});
