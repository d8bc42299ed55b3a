import test, { type ExecutionContext } from 'ava';
import { systemClock } from '../../src/core/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { createNotificationBounces, createOutbox, createSuppressionList, type NewOutboxEntry, type Outbox } from '../../src/notify/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import type { DeliveryReportWrite } from '../../src/tickets/index.ts';

const ann = 'ann@fabrikam.example';

function entry(n: number, to = ann): NewOutboxEntry {
  return {
    _id: `ev${n}|ack|${to}`, eventId: `ev${n}`, rule: 'ack', ticketNumber: 1000 + n, to, toName: null, subject: `[#${1000 + n}] We received your request`,
    html: '<p>x</p>', text: 'x', internetMessageId: `<mailroom.${n}@contoso.example>`, inReplyTo: null, status: 'pending', reason: null, maxAttempts: 5, notBefore: new Date(0),
  };
}

async function sentEntry(outbox: Outbox, n: number, to = ann): Promise<void> {
  await outbox.queue(entry(n, to));
  await outbox.markSent(entry(n, to)._id);
}

function report(n: number, over: Partial<DeliveryReportWrite> = {}): DeliveryReportWrite {
  return {
    reportKey: `support:dsn-${n}`, notificationId: entry(n)._id, to: ann, action: 'failed', status: '5.1.1', recipient: ann, diagnostic: '550 5.1.1 User unknown',
    permanent: true, reporter: 'mailer-daemon@mx.fabrikam.example', reportedAt: new Date('2026-12-01T09:00:00Z'), ...over,
  };
}

async function world(t: ExecutionContext, threshold: number) {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const outbox = createOutbox(db.store, systemClock);
  const bounces = createNotificationBounces({ store: db.store, clock: systemClock, logger: createSilentLogger(), hardBouncesToSuppress: async () => threshold });
  return { db, outbox, bounces, suppressions: createSuppressionList(db.store, systemClock) };
}

test('only sent notifications are found by Message-ID, also when a server changed its case', async (t) => {
  const { outbox, bounces } = await world(t, 3);
  await sentEntry(outbox, 1);
  await outbox.queue(entry(2));
  const found = await bounces.findSent(['MAILROOM.1@contoso.example', 'mailroom.2@contoso.example', 'other@x.example']);
  t.deepEqual([...found.keys()], ['MAILROOM.1@contoso.example']);
  t.like(found.get('MAILROOM.1@contoso.example'), { id: entry(1)._id, ticketNumber: 1001, to: ann });
});

test('soft bounces and delays never suppress; the same report twice and two reports on one notification count once', async (t) => {
  const { outbox, bounces, suppressions } = await world(t, 2);
  for (const n of [1, 2, 3]) await sentEntry(outbox, n);
  await bounces.record([report(1, { status: '4.2.2', permanent: false }), report(2, { action: 'delayed', status: '4.4.7', permanent: false }), report(3, { status: '4.7.0', permanent: false })]);
  t.is(await suppressions.find(ann), null);
  const statuses = new Map((await outbox.list()).map((e) => [e._id, e.status]));
  t.deepEqual([1, 2, 3].map((n) => statuses.get(entry(n)._id)), ['bounced', 'sent', 'bounced'], 'a soft failure is still a bounce of that mail');

  await bounces.record([report(1, { reportKey: 'support:dsn-1b' })]);
  await bounces.record([report(1, { reportKey: 'support:dsn-1b' })]);
  t.is(await suppressions.find(ann), null, 'one notification bouncing twice is one hard bounce');
  t.is((await outbox.list()).find((e) => e._id === entry(1)._id)?.deliveryReports?.length, 2, 'the repeated report is recorded once');
  t.like((await outbox.list()).find((e) => e._id === entry(1)._id)?.bounce, { status: '4.2.2' }, 'the first failure stays the bounce');
});

test('the hard bounce reaching the threshold suppresses the address and what is still pending to it; a lift starts the count again', async (t) => {
  const { outbox, bounces, suppressions } = await world(t, 2);
  for (const n of [1, 2]) await sentEntry(outbox, n);
  await outbox.queue(entry(3));
  await outbox.queue(entry(4, 'bob@fabrikam.example'));
  await bounces.record([report(1)]);
  t.is(await suppressions.find(ann), null);
  await bounces.record([report(2, { status: '5.1.10', diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound' })]);
  t.like(await suppressions.find(ann), { hardBounces: [entry(1)._id, entry(2)._id], lastBounce: { status: '5.1.10' } });

  const pending = (await outbox.list()).find((e) => e._id === entry(3)._id);
  t.like(pending, { status: 'suppressed', reason: 'bounced', lastError: { code: 'NOTIFY_RECIPIENT_SUPPRESSED' } });
  t.is((await outbox.list()).find((e) => e._id === entry(4, 'bob@fabrikam.example')._id)?.status, 'pending', 'another address is untouched');
  t.like((await outbox.queue(entry(5))).entry, { status: 'suppressed', reason: 'bounced' });
  t.is(await outbox.claimNext(60_000, { connection: 'c', mailbox: 'support@contoso.example' }).then((e) => e?.to), 'bob@fabrikam.example');

  await suppressions.lift('ANN@fabrikam.example');
  t.is(await suppressions.find(ann), null);
  t.like((await outbox.queue(entry(6))).entry, { status: 'pending' });
  await sentEntry(outbox, 7);
  await bounces.record([report(7, { notificationId: entry(7)._id })]);
  t.is(await suppressions.find(ann), null, 'one hard bounce after the lift is below the threshold again');
});
