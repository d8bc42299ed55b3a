import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { Command } from 'commander';
import type { CliDeps } from '../../src/cli/cli-deps.ts';
import { registerNotificationsCommands } from '../../src/cli/commands/notifications-commands.ts';
import { isAppError, systemClock } from '../../src/core/index.ts';
import { runJob } from '../../src/jobs/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { createNotificationsHandler, createOutbox, type OutboxEntry } from '../../src/notify/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { startMailWorld, supportMailbox, type MailWorld } from '../helpers/mail-world.ts';
import { notificationsJob, type SentMail } from './helpers/notify-world.ts';

const fixture = (path: string): string => readFileSync(fileURLToPath(new URL(`../../fixtures/mail/${path}`, import.meta.url)), 'latin1');

/**
 * A real delivery report (public corpora, or shaped as Exchange Online writes them) turned into one about our
 * notification: its returned Message-ID and failed recipient replaced by ours, everything else as it came.
 */
function reportOn(path: string, original: { messageId: string; recipient: string }, ours: { internetMessageId: string; to: string }): string {
  const raw = fixture(path);
  const bare = ours.internetMessageId.replace(/^<|>$/g, '');
  if (!raw.includes(original.messageId)) throw new Error(`${path} does not return ${original.messageId}`);
  return raw.split(original.messageId).join(bare).split(original.recipient).join(ours.to);
}

const exchangeOriginal = { messageId: 'mailroom.0123456789abcdef0123456789abcdef@contoso.example', recipient: 'ann@fabrikam.example' };
const ann = 'ann@fabrikam.example';

interface Loop {
  world: MailWorld;
  notify(): Promise<Awaited<ReturnType<typeof runJob>>>;
  sent(): Promise<SentMail[]>;
  entries(): Promise<OutboxEntry[]>;
  /** A request from `from` becomes a ticket, and its acknowledgement goes out through the emulator's sendMail. */
  request(t: ExecutionContext, n: number, from?: string): Promise<{ ticketNumber: number; ack: SentMail }>;
  cli(args: string[]): Promise<{ stdout: string; error: unknown }>;
}

async function startLoop(t: ExecutionContext, folder = 'Inbox/Support'): Promise<Loop> {
  const world = await startMailWorld({ job: { folder, postActions: { markRead: true, flag: false, categories: [] } } });
  t.teardown(() => world.close());
  const { app, control } = world;
  // The job connects to the empty folder first: mail found on a first connection is backlog and never acknowledged.
  await world.run(t);
  const logger = createSilentLogger();
  const notify = () => runJob(notificationsJob, createNotificationsHandler({
    store: app.store, graphFor: app.graphFor, clock: systemClock, logger, notificationsFile: 'rules/notifications.json', ownMailboxes: [supportMailbox],
  }), { results: app.results, logger });
  const sent = async (): Promise<SentMail[]> => (await control.sent(supportMailbox)) as unknown as SentMail[];
  return {
    world, notify, sent,
    entries: () => createOutbox(app.store, systemClock).list({ limit: 100 }),
    async request(t2, n, from = `Ann Lee <${ann}>`) {
      await control.deliver(supportMailbox, buildMime({ from, subject: `Request ${n}: printer on floor ${n} is jammed`, body: 'It is jammed again.', messageId: `req-${n}@fabrikam.example` }), folder);
      const run = await world.run(t2);
      t2.is(run.counts.created, 1, JSON.stringify(run.items));
      const ticketNumber = Number(String(run.items[0]!.target).replace('#', ''));
      const before = (await sent()).length;
      t2.is((await notify()).counts.sent ?? 0, 1);
      const all = await sent();
      t2.is(all.length, before + 1);
      return { ticketNumber, ack: all.at(-1)! };
    },
    async cli(args) {
      let stdout = '';
      const unused = async (): Promise<never> => { throw new Error('not used by notifications commands'); };
      const deps: CliDeps = {
        stdout: (text) => void (stdout += text), stderr: () => undefined, cwd: process.cwd(), env: {}, isTTY: false,
        loadConfig: unused, openApp: unused, setExitCode: () => undefined, logger, openStore: async () => app.store,
      };
      const program = new Command('mailroom').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
      registerNotificationsCommands(program, deps);
      try {
        await program.parseAsync(['node', 'mailroom', 'notifications', ...args]);
        return { stdout, error: undefined };
      } catch (error) {
        return { stdout, error };
      }
    },
  };
}

test('an Exchange Online NDR for an acknowledgement marks it bounced, notes the ticket internally, opens nothing and mails nothing', async (t) => {
  const loop = await startLoop(t);
  const { world } = loop;
  const { ticketNumber, ack } = await loop.request(t, 1);
  const events = async (): Promise<number> => world.app.store.collection('ticket_events').countDocuments();
  const eventsBefore = await events();

  await world.control.deliver(supportMailbox, reportOn('bounces/exchange-online-ndr-recipient-not-found.eml', exchangeOriginal, { internetMessageId: ack.internetMessageId, to: ann }), 'Inbox/Support');
  const run = await world.run(t);
  t.is(run.counts.updated, 1, JSON.stringify(run.items));
  t.like(run.items[0], { outcome: 'updated', rule: null, action: 'recorded-bounce', target: `#${ticketNumber}` });
  const [ndr] = (await world.control.list(supportMailbox, 'Inbox/Support')).filter((m) => m.subject.startsWith('Undeliverable'));
  t.like(ndr, { isRead: true, categories: [] }, 'the job\'s post-actions, not the "ignored" category of a rule that did not decide it');

  const [entry] = (await loop.entries()).filter((e) => e.internetMessageId === ack.internetMessageId);
  t.is(entry?.status, 'bounced');
  t.like(entry?.bounce, { action: 'failed', status: '5.1.10', recipient: ann, permanent: true });
  t.regex(entry?.bounce?.diagnostic ?? '', /^550 5\.1\.10 RESOLVER\.ADR\.RecipientNotFound/);

  t.is((await world.app.tickets.listTickets()).length, 1, 'the report opens no ticket');
  const comments = await world.app.tickets.listComments(ticketNumber);
  t.is(comments.length, 1);
  t.true(comments[0]!.internal);
  t.regex(comments[0]!.body, /not delivered.*ann@fabrikam\.example: 5\.1\.10 550 5\.1\.10 RESOLVER\.ADR\.RecipientNotFound/);
  t.not(comments[0]!.source?.rawMimeFileId ?? null, null, 'the report itself is kept for a person to read');
  t.is(await events(), eventsBefore, 'an internal note records no event');
  t.is((await world.app.tickets.getTicket(ticketNumber)).status, 'new');
  const after = await loop.notify();
  t.is(after.counts.events ?? 0, 0);
  t.is((await loop.sent()).length, 1, 'the note is never mailed to the requester');

  const listed = await loop.cli(['list']);
  t.is(listed.error, undefined);
  t.regex(listed.stdout, /bounced\s+#\d+\s+ann@fabrikam\.example.*failed 5\.1\.10 550 5\.1\.10 RESOLVER/);
  const json = JSON.parse((await loop.cli(['list', '--status', 'bounced', '--json'])).stdout) as { to: string; bounce: { status: string } }[];
  t.deepEqual(json.map((e) => [e.to, e.bounce.status]), [[ann, '5.1.10']]);
});

test('three hard bounces (Postfix via Exchange, Amazon SES, a report without report-type) suppress the address until it is lifted', async (t) => {
  const loop = await startLoop(t);
  const { world } = loop;
  const samples: [path: string, original: { messageId: string; recipient: string }][] = [
    ['corpora/mimekit-bounce-postfix-via-exchange.eml', { messageId: '44565655.JitbitHelpdesk.13439.691a0afc-a0a0-457c-8208-f20b7c4a4cb1@jitbit.com', recipient: 'netec.test@netecgc.com' }],
    ['corpora/mailparser-delivery-status-ses.eml', { messageId: 'xxxxx@email.amazonses.com', recipient: 'xxxx@xxxx.com' }],
    ['corpora/cpython-msg_16-bounce-without-report-type.eml', { messageId: '002001c144a6$8752e060$56104586@oxy.edu', recipient: 'jangel1@cougar.noc.ucla.edu' }],
  ];
  for (const [n, [path, original]] of samples.entries()) {
    const { ack } = await loop.request(t, n + 1);
    await world.control.deliver(supportMailbox, reportOn(path, original, { internetMessageId: ack.internetMessageId, to: ann }), 'Inbox/Support');
    const run = await world.run(t);
    t.like(run.items[0], { outcome: 'updated', action: 'recorded-bounce' }, `${path}: ${JSON.stringify(run.items)}`);
    const suppressed = JSON.parse((await loop.cli(['suppressed', '--json'])).stdout) as { address: string; hardBounces: string[] }[];
    t.deepEqual(suppressed.map((s) => s.address), n < 2 ? [] : [ann], `after ${n + 1} hard bounce(s)`);
  }
  t.deepEqual((await loop.entries()).map((e) => e.status), ['bounced', 'bounced', 'bounced']);

  // A fourth request: its ticket is made, its acknowledgement is recorded as suppressed with the reason, and not sent.
  await world.control.deliver(supportMailbox, buildMime({ from: `Ann Lee <${ann}>`, subject: 'Request 4', body: 'Still jammed.', messageId: 'req-4@fabrikam.example' }), 'Inbox/Support');
  t.is((await world.run(t)).counts.created, 1);
  const fourth = await loop.notify();
  t.is(fourth.counts.sent ?? 0, 0);
  t.is(fourth.counts.suppressed, 1, JSON.stringify(fourth.items));
  t.is((await loop.sent()).length, 3);
  const [latest] = await loop.entries();
  t.like(latest, { status: 'suppressed', reason: 'bounced', to: ann });
  t.is(latest?.lastError?.code, 'NOTIFY_RECIPIENT_SUPPRESSED');
  const listed = await loop.cli(['list']);
  t.regex(listed.stdout, /suppressed\s+#\d+\s+ann@fabrikam\.example.*bounced: ann@fabrikam\.example is suppressed after 3 hard bo/);
  t.regex(listed.stdout, /not mailed after repeated hard bounces[\s\S]*ann@fabrikam\.example\s+3/);

  // Lifted: the next acknowledgement goes out again, and the bounces count from zero.
  const lifted = await loop.cli(['unsuppress', 'Ann@Fabrikam.example']);
  t.is(lifted.error, undefined);
  t.regex(lifted.stdout, /ann@fabrikam\.example is mailed again/);
  const again = await loop.cli(['unsuppress', ann]);
  t.true(isAppError(again.error, 'NOTIFY_NOT_SUPPRESSED'));
  await loop.request(t, 5);
  t.is((await loop.sent()).length, 4);
});

test('a delayed report is recorded but is no bounce; a report on mail we never sent leaves the outbox alone and follows the rules', async (t) => {
  const loop = await startLoop(t);
  const { world } = loop;
  const { ticketNumber, ack } = await loop.request(t, 1);

  await world.control.deliver(supportMailbox, reportOn('bounces/exchange-online-delayed.eml', exchangeOriginal, { internetMessageId: ack.internetMessageId, to: ann }), 'Inbox/Support');
  const delayed = await world.run(t);
  t.like(delayed.items[0], { outcome: 'updated', action: 'recorded-bounce' });
  const [entry] = await loop.entries();
  t.is(entry?.status, 'sent');
  t.is(entry?.bounce ?? null, null);
  t.like(entry?.deliveryReports?.[0], { action: 'delayed', status: '4.4.7', permanent: false, recipient: ann });
  t.deepEqual(await world.app.tickets.listComments(ticketNumber), [], 'a delay needs no note');
  t.deepEqual(JSON.parse((await loop.cli(['suppressed', '--json'])).stdout), []);
  t.regex((await loop.cli(['list'])).stdout, /sent\s+#\d+.*delayed 4\.4\.7/);

  // A read receipt (MDN) for the acknowledgement returns its Message-ID too, and is no report of a failure.
  const before = JSON.stringify(await loop.entries());
  await world.control.deliver(supportMailbox, reportOn('corpora/mimekit-read-receipt-mdn.eml', { messageId: '199509192301.23456@example.org', recipient: 'joe_recipient@example.com' }, { internetMessageId: ack.internetMessageId, to: ann }), 'Inbox/Support');
  const receipt = await world.run(t);
  t.like(receipt.items[0], { outcome: 'ignored', rule: 'ignore-auto-generated' }, JSON.stringify(receipt.items));
  t.is(JSON.stringify(await loop.entries()), before);

  // The corpus report as it came: it returns mail of someone else's helpdesk, so only the rules see it (they ignore bounces).
  await world.control.deliver(supportMailbox, fixture('corpora/postal-mime-bounce-fastmail.eml'), 'Inbox/Support');
  const unknown = await world.run(t);
  t.is(unknown.counts.ignored, 1, JSON.stringify(unknown.items));
  t.is(JSON.stringify(await loop.entries()), before);
  t.is((await world.app.tickets.listTickets()).length, 1);
  t.deepEqual(await world.app.tickets.listComments(ticketNumber), []);
});

test('the emulator answers an acknowledgement to an unknown address of the tenant\'s own domain with Exchange\'s NDR in the Inbox; the next run records it', async (t) => {
  const loop = await startLoop(t, 'Inbox');
  const { world } = loop;
  const { ticketNumber, ack } = await loop.request(t, 1, 'Former Colleague <gone@contoso.example>');
  const [ndr] = (await world.control.list(supportMailbox, 'Inbox')).filter((m) => m.subject.startsWith('Undeliverable:'));
  t.truthy(ndr, 'Exchange returned the acknowledgement');
  const run = await world.run(t);
  t.like(run.items.find((i) => i.action === 'recorded-bounce'), { outcome: 'updated', target: `#${ticketNumber}` }, JSON.stringify(run.items));
  const [entry] = await loop.entries();
  t.like(entry, { internetMessageId: ack.internetMessageId, status: 'bounced', bounce: { status: '5.1.10', recipient: 'gone@contoso.example', permanent: true } });
  t.regex((await world.app.tickets.listComments(ticketNumber))[0]?.body ?? '', /RESOLVER\.ADR\.RecipientNotFound/);
});
