import test from 'ava';
import { systemClock } from '../../src/core/index.ts';
import { createDeltaStateStore } from '../../src/mail/connector/index.ts';
import { runJob } from '../../src/jobs/index.ts';
import { PassThrough } from 'node:stream';
import { createLogger, createSilentLogger } from '../../src/log/index.ts';
import { createNotificationsHandler } from '../../src/notify/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox, type MailWorld } from '../helpers/mail-world.ts';
import { notificationsJob, type SentMail } from '../notify/helpers/notify-world.ts';

const day = 86_400_000;

/** Delivers a mail into Inbox/Support that Graph says was received `daysAgo` days ago. */
async function deliverAged(world: MailWorld, n: string, daysAgo: number, from = `Sender ${n} <sender-${n}@fabrikam.example>`): Promise<string> {
  const at = new Date(Date.now() - daysAgo * day).toISOString();
  const mime = buildMime({ from, subject: `Request ${n}`, body: `Body of request ${n}.`, messageId: `req-${n}@fabrikam.example` });
  const made = (await world.control.call('POST', `/_emulator/mailboxes/${encodeURIComponent(supportMailbox)}/messages?folder=Inbox%2FSupport&receivedDateTime=${encodeURIComponent(at)}`, mime, 'message/rfc822')) as { id: string };
  return made.id;
}

function notifier(world: MailWorld): () => ReturnType<typeof runJob> {
  const logger = createSilentLogger();
  return () => runJob(notificationsJob, createNotificationsHandler({
    store: world.app.store, graphFor: world.app.graphFor, clock: systemClock, logger, notificationsFile: 'rules/notifications.json', ownMailboxes: [supportMailbox],
  }), { results: world.app.results, logger });
}

test('backlog skip: the first run takes no existing mail and says so in counts and one line per page; later mail is processed (an old one moved in too); a resync does not take the backlog', async (t) => {
  const world = await startMailWorld({ job: { backlog: 'skip', since: undefined } });
  t.teardown(() => world.close());
  for (const [n, age] of [['1', 400], ['2', 30], ['3', 0.01]] as const) await deliverAged(world, n, age);

  const first = await world.run(t);
  t.deepEqual(first.counts, { seen: 3, skipped: 3 });
  t.is(first.items.length, 1, 'one line for the page, not one per mail');
  t.like(first.items[0], { outcome: 'skipped', mails: 3 });
  t.true(first.notes.some((note) => note.includes('3 mails received before') && note.includes('skip')), first.notes.join('\n'));
  t.is((await world.app.tickets.listTickets()).length, 0);
  // Skipped backlog is left untouched: not read, not moved.
  const left = await world.control.list(supportMailbox, 'Inbox/Support');
  t.is(left.length, 3);
  t.true(left.every((m) => !m.isRead && m.categories.length === 0));

  // After the first connection, what delta reports is new to the folder: an old mail a person moves in is processed too.
  await deliverAged(world, 'new', 0);
  await deliverAged(world, 'moved-in', 60);
  const second = await world.run(t);
  t.deepEqual(second.counts, { seen: 2, created: 2 });
  t.deepEqual((await world.app.tickets.listTickets()).map((x) => x.subject).sort(), ['Request moved-in', 'Request new']);

  // A resync reads the folder again: the backlog stays skipped, the processed mail is not processed twice.
  t.is(await createDeltaStateStore(world.app.store).requestResync('support', new Date()), 1);
  const resynced = await world.run(t);
  t.is(resynced.counts.created ?? 0, 0, JSON.stringify(resynced.counts));
  t.is(resynced.counts.skipped, 3);
  t.is((await world.app.tickets.listTickets()).length, 2);
});

test('backlog import with since: older mail is skipped, the rest becomes tickets marked as backlog that are never acknowledged; mail after the first run is acknowledged; assigning a backlog ticket still notifies', async (t) => {
  const world = await startMailWorld({ job: { backlog: 'import', since: '7 days', postActions: { markRead: true, flag: false, categories: [] } } });
  t.teardown(() => world.close());
  await deliverAged(world, 'old', 20);
  await deliverAged(world, 'recent', 3, 'Ann Lee <ann@fabrikam.example>');
  await deliverAged(world, 'today', 0.01, 'Bo Chen <bo@fabrikam.example>');

  const first = await world.run(t);
  t.deepEqual(first.counts, { seen: 3, skipped: 1, created: 2 });
  const tickets = await world.app.tickets.listTickets();
  t.deepEqual(tickets.map((x) => x.subject).sort(), ['Request recent', 'Request today']);
  t.true(tickets.every((x) => x.source?.backlog === true), 'both are marked as backlog in their source');
  t.true(first.notes.some((note) => note.includes('2 mails from before the first run imported as backlog')), first.notes.join('\n'));
  t.false((await world.control.list(supportMailbox, 'Inbox/Support')).find((m) => m.subject === 'Request old')!.isRead, 'the old one is untouched');

  const notify = notifier(world);
  const sent = async (): Promise<SentMail[]> => (await world.control.sent(supportMailbox)) as unknown as SentMail[];
  const quiet = await notify();
  t.is(quiet.counts.sent ?? 0, 0, JSON.stringify(quiet.items));
  t.is((await sent()).length, 0, 'no acknowledgement for backlog');
  const outbox = await world.app.store.collection('outbox').find({}).toArray();
  t.deepEqual(outbox.map((o) => [o.status, o.reason]), [['suppressed', 'backlog'], ['suppressed', 'backlog']]);

  await deliverAged(world, 'after', -0.001, 'Cy Diaz <cy@fabrikam.example>');
  const later = await world.run(t);
  t.deepEqual(later.counts, { seen: 1, created: 1 });
  const fresh = (await world.app.tickets.listTickets()).find((x) => x.subject === 'Request after')!;
  t.falsy(fresh.source?.backlog);
  await notify();
  t.deepEqual((await sent()).map((m) => m.to[0]!.emailAddress.address), ['cy@fabrikam.example'], 'mail after the first run is acknowledged');

  // Later events on a backlog ticket notify as always.
  const recent = tickets.find((x) => x.subject === 'Request recent')!;
  await world.app.tickets.updateTicket(recent.number, { assignee: 'agent@contoso.example' });
  await notify();
  t.deepEqual((await sent()).map((m) => m.to[0]!.emailAddress.address).sort(), ['agent@contoso.example', 'cy@fabrikam.example']);
});

test('backlog import: the per-run cap still defers backlog to the next run, and deferred backlog is still marked as backlog', async (t) => {
  const world = await startMailWorld({ job: { backlog: 'import', since: 'all', limits: { messagesPerRun: 2, attachmentMaxBytes: 1_000_000, maxAttempts: 3 } } });
  t.teardown(() => world.close());
  for (const n of ['1', '2', '3']) await deliverAged(world, n, 100);
  const first = await world.run(t);
  t.deepEqual(first.counts, { seen: 3, created: 2, deferred: 1 });
  t.true(first.notes.some((note) => note.includes('2 mails from before the first run imported as backlog')), first.notes.join('\n'));
  const second = await world.run(t);
  t.is(second.counts.created, 1, JSON.stringify(second.counts));
  t.true(second.notes.some((note) => note.includes('1 mail from before the first run imported as backlog')), second.notes.join('\n'));
  const tickets = await world.app.tickets.listTickets();
  t.is(tickets.length, 3);
  t.true(tickets.every((x) => x.source?.backlog === true));
});

test('backlog import over several runs: a first round the cap stops in its second page goes on from the saved page as a full read, so old mail there stays skipped', async (t) => {
  const world = await startMailWorld({ job: { backlog: 'import', since: '7 days', limits: { messagesPerRun: 105, attachmentMaxBytes: 1_000_000, maxAttempts: 3 } } });
  t.teardown(() => world.close());
  // Delta lists mail in arrival order, a page as large as the cap (105): the first page is recent mail, the second 5
  // recent and 40 old.
  for (let n = 0; n < 110; n += 1) await deliverAged(world, `r${n}`, 1);
  for (let n = 0; n < 40; n += 1) await deliverAged(world, `o${n}`, 30);

  const first = await world.run(t);
  t.deepEqual(first.counts, { seen: 150, created: 105, skipped: 40, deferred: 5 });
  const saved = await world.app.store.collection('delta_state').findOne({});
  t.is(saved?.kind, 'next', 'the round stopped in its second page');

  const second = await world.run(t);
  t.deepEqual(second.counts, { seen: 45, created: 5, skipped: 40 });
  const tickets = await world.app.tickets.listTickets({ limit: 500 });
  t.is(tickets.length, 110);
  t.false(tickets.some((x) => x.subject.startsWith('Request o')));
  t.true(tickets.every((x) => x.source?.backlog === true));
  t.is((await world.app.store.collection('delta_state').findOne({}))?.kind, 'delta');
});

test('a large first connection shows its progress: a log line each 1,000 backlog mails', async (t) => {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const world = await startMailWorld({ job: { backlog: 'skip', since: undefined }, logger: createLogger({ level: 'info', format: 'json', stream }) });
  t.teardown(() => world.close());
  for (let n = 0; n < 1050; n += 1) await deliverAged(world, `b${n}`, 90);

  const run = await world.run(t);
  t.deepEqual(run.counts, { seen: 1050, skipped: 1050 });
  t.is(run.items.length, 2, 'one line per delta page (1,000 a page: the cap of 1,000 a run)');
  const progress = text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { message: string }).filter((line) => line.message.startsWith('backlog of'));
  t.deepEqual(progress.map((line) => line.message), ['backlog of Inbox/Support: 1000 mails so far (1000 skipped, 0 imported as backlog)']);
});
