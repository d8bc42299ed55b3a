import test from 'ava';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WebhookTargetConfig } from '../../src/config/http-config.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { createNotificationBounces, createOutbox, createSuppressionList, type NewOutboxEntry } from '../../src/notify/index.ts';
import { createWebhookQueue, deliverWebhooks } from '../../src/notify/webhooks/index.ts';
import { startTestDatabase, type TestDatabase } from '../../src/store/index.ts';
import { createTicketStore } from '../../src/tickets/index.ts';
import { manualClock } from './helpers/notify-world.ts';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver.ts';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const childPath = fileURLToPath(new URL('./helpers/webhook-child.ts', import.meta.url));

async function world(t: { teardown(fn: () => Promise<void>): void }): Promise<{ db: TestDatabase; receiver: WebhookReceiver; clock: ReturnType<typeof manualClock>; run(targets?: Partial<WebhookTargetConfig>): ReturnType<typeof deliverWebhooks> }> {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const receiver = await startWebhookReceiver(secret);
  t.teardown(() => receiver.close());
  const clock = manualClock('2026-11-20T09:00:00Z');
  return {
    db, receiver, clock,
    run: (target = {}) => deliverWebhooks({
      store: db.store, clock, logger: createSilentLogger(), env: { HOOK_SECRET: secret }, baseDir: process.cwd(), limits: { retryBaseDelayMs: 30_000 },
      targets: [{ name: 'hook', url: receiver.url, secret: { env: 'HOOK_SECRET' }, events: null, enabled: true, ...target }],
    }),
  };
}

test('ticket events are POSTed signed (Standard Webhooks), each once, with the same id on a retry after a 503', async (t) => {
  const w = await world(t);
  const tickets = createTicketStore(w.db.store, w.clock);
  const { ticket } = await tickets.createTicket({ createdFrom: 'mail:1', requester: { address: 'ann@fabrikam.example', name: 'Ann' }, subject: 'Printer', description: '.' });
  await tickets.updateTicket(ticket.number, { assignee: 'carol@contoso.example', status: 'open' });
  w.receiver.failNext(1, 503);

  const first = await w.run();
  t.like(first, { queued: 3, delivered: 2, retrying: 1 });
  const [failed] = await createWebhookQueue(w.db.store, w.clock).list({ status: 'pending' });
  t.is(failed!.lastError?.code, 'WEBHOOK_DELIVERY_FAILED');
  t.is(failed!.nextAttemptAt.getTime() - w.clock().getTime(), 30_000, 'the first retry waits 30 s');
  t.like(await w.run(), { queued: 0, delivered: 0 }, 'nothing is retried before its time');
  w.clock.advance(30_000);
  t.like(await w.run(), { queued: 0, delivered: 1 });
  t.like(await w.run(), { queued: 0, delivered: 0, retrying: 0 });

  const received = w.receiver.received;
  t.true(received.every((r) => r.signatureValid), 'every signature verifies');
  t.deepEqual([...new Set(received.map((r) => r.body.type))].sort(), ['ticket.assigned', 'ticket.created', 'ticket.status-changed']);
  t.is(new Set(received.map((r) => r.id)).size, 3, 'three events, three ids');
  t.is(received.length, 4, 'the one that failed came twice, with the same id');
  const assigned = received.find((r) => r.body.type === 'ticket.assigned')!;
  t.like(assigned.body.data, { ticketNumber: ticket.number, change: { to: 'carol@contoso.example' }, ticket: { assignee: 'carol@contoso.example' } });
  t.regex(assigned.id, /^msg_/);
  const delivered = await createWebhookQueue(w.db.store, w.clock).list({ status: 'delivered' });
  t.is(delivered.length, 3);
});

test('a target gets only the event types it asks for, and a tampered body fails the check', async (t) => {
  const w = await world(t);
  const tickets = createTicketStore(w.db.store, w.clock);
  const { ticket } = await tickets.createTicket({ createdFrom: 'mail:2', requester: null, subject: 'VPN', description: '.' });
  await tickets.updateTicket(ticket.number, { assignee: 'dave@contoso.example' });
  t.like(await w.run({ events: ['ticket.assigned'] }), { queued: 1, delivered: 1 });
  t.deepEqual(w.receiver.received.map((r) => r.body.type), ['ticket.assigned']);
  const { verifyWebhook } = await import('../../src/notify/webhooks/index.ts');
  const r = w.receiver.received[0]!;
  const headers = { id: r.id, timestamp: r.timestamp, signature: `v1,${'A'.repeat(44)}` };
  t.false(verifyWebhook(secret, headers, JSON.stringify(r.body)));
});

test('killed after a POST and before it is marked delivered: the rerun delivers everything, each event marked delivered once', async (t) => {
  const w = await world(t);
  const tickets = createTicketStore(w.db.store, w.clock);
  for (const n of [1, 2, 3]) await tickets.createTicket({ createdFrom: `mail:k${n}`, requester: null, subject: `Kill ${n}`, description: '.' });
  // The kill point follows the run's own progress: the second POST arrives and is never answered.
  const second = w.receiver.holdRequest(2);
  const child = spawn(process.execPath, ['--import', 'tsx', childPath, JSON.stringify({ uri: w.db.uri, dbName: w.db.dbName, url: w.receiver.url, secret, now: w.clock().toISOString() })], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const held = await Promise.race([second, exited.then(() => { throw new Error(`child ended before the kill point: ${stderr}`); })]);
  child.kill('SIGKILL');
  t.is(await exited, 'SIGKILL');

  const queue = createWebhookQueue(w.db.store, w.clock);
  t.is((await queue.list({ status: 'delivered' })).length, 1, 'only the first was marked before the kill');
  w.clock.advance(3 * 60_000); // past the dead sender's lease
  const rerun = await w.run();
  t.like(rerun, { queued: 0, delivered: 2 });
  const received = w.receiver.received;
  t.true(received.every((r) => r.signatureValid));
  t.is(received.filter((r) => r.id === held.id).length, 2, 'the interrupted one was sent again, with the same id');
  t.is(new Set(received.map((r) => r.id)).size, 3, 'deduplicated by webhook-id the receiver has each event once');
  const all = await queue.list();
  t.is(all.length, 3);
  t.true(all.every((d) => d.status === 'delivered' && d.deliveredAt !== null));
  t.like(all.find((d) => d.messageId === held.id), { attempts: 2 });
  t.like(await w.run(), { delivered: 0 });
});

test('a bounced notification and an address suppressed after hard bounces are webhook events too, each once; a new suppression after a lift is a new event', async (t) => {
  const w = await world(t);
  const outbox = createOutbox(w.db.store, w.clock);
  const bounces = createNotificationBounces({ store: w.db.store, clock: w.clock, logger: createSilentLogger(), hardBouncesToSuppress: async () => 2 });
  const zoe = 'zoe@fabrikam.example';
  const entry = (n: number): NewOutboxEntry => ({
    _id: `ev${n}|ack|${zoe}`, eventId: `ev${n}`, rule: 'ack', ticketNumber: 1000 + n, to: zoe, toName: null, subject: `[#${1000 + n}] We received your request`,
    html: '<p>x</p>', text: 'x', internetMessageId: `<mailroom.${n}@contoso.example>`, inReplyTo: null, status: 'pending', reason: null, maxAttempts: 5, notBefore: new Date(0),
  });
  const hardBounce = (n: number) => ({
    reportKey: `support:dsn-${n}`, notificationId: entry(n)._id, to: zoe, action: 'failed' as const, status: '5.1.10', recipient: zoe,
    diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound', permanent: true, reporter: 'postmaster@contoso.example', reportedAt: w.clock(),
  });
  for (const n of [1, 2, 3]) {
    await outbox.queue(entry(n));
    await outbox.markSent(entry(n)._id);
  }
  t.like(await w.run(), { queued: 0 }, 'sent notifications are no events');

  await bounces.record([hardBounce(1)]);
  w.clock.advance(60_000);
  await bounces.record([hardBounce(2)]);
  t.like(await w.run(), { queued: 3, delivered: 3 });
  t.like(await w.run(), { queued: 0, delivered: 0 }, 'each event is queued once');
  const byType = (type: string) => w.receiver.received.filter((r) => r.body.type === type).map((r) => r.body as unknown as { timestamp: string; data: Record<string, unknown> });
  t.true(w.receiver.received.every((r) => r.signatureValid));
  t.deepEqual(byType('notification.bounced').map((b) => b.data.notificationId).sort(), [entry(1)._id, entry(2)._id]);
  t.like(byType('notification.bounced').find((b) => b.data.notificationId === entry(1)._id)?.data, {
    ticketNumber: 1001, to: zoe, rule: 'ack', internetMessageId: '<mailroom.1@contoso.example>', bounce: { action: 'failed', status: '5.1.10', permanent: true },
  });
  const [suppressed] = byType('recipient.suppressed');
  t.like(suppressed?.data, { address: zoe, hardBounces: 2, lastBounce: { notificationId: entry(2)._id, status: '5.1.10' }, lift: `mailroom notifications unsuppress ${zoe}` });
  t.is(suppressed?.timestamp, w.clock().toISOString());

  // Lifted, then two more hard bounces: suppressed again, a second recipient.suppressed with an id of its own.
  await createSuppressionList(w.db.store, w.clock).lift(zoe);
  for (const n of [4, 5]) {
    await outbox.queue(entry(n));
    await outbox.markSent(entry(n)._id);
  }
  w.clock.advance(60_000);
  await bounces.record([hardBounce(4), hardBounce(5)]);
  t.like(await w.run({ events: ['recipient.suppressed'] }), { queued: 1, delivered: 1 }, 'a target that asks only for suppressions gets no bounce');
  t.is(byType('recipient.suppressed').length, 2);
  t.is(new Set(w.receiver.received.map((r) => r.id)).size, w.receiver.received.length, 'every event its own webhook-id');
});
