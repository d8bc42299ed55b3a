import test from 'ava';
import { isAppError } from '../../src/core/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import { createTicketStore, listPendingTicketEvents } from '../../src/tickets/index.ts';

const clock = () => new Date('2026-11-20T10:00:00Z');
const requester = { address: 'ann@fabrikam.example', name: 'Ann' };

test('creating a ticket twice with the same key yields one ticket and one event', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const tickets = createTicketStore(db.store, clock);
  const first = await tickets.createTicket({ createdFrom: 'support|<a@x>', requester, subject: 'VPN down', description: 'It is down.' });
  const second = await tickets.createTicket({ createdFrom: 'support|<a@x>', requester, subject: 'VPN down', description: 'It is down.' });
  t.true(first.created);
  t.false(second.created);
  t.is(second.ticket.number, first.ticket.number);
  t.is(first.ticket.number, 1001);
  t.is((await tickets.listTickets()).length, 1);
  const events = await listPendingTicketEvents(db.store, 10);
  t.deepEqual(events.map((e) => e._id), [`ticket.created:${first.ticket.number}`]);
});

test('concurrent creations with one key race to a single ticket', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const tickets = createTicketStore(db.store, clock);
  const results = await Promise.all(Array.from({ length: 6 }, () => tickets.createTicket({ createdFrom: 'k', requester, subject: 's', description: 'd' })));
  t.is(new Set(results.map((r) => r.ticket.number)).size, 1);
  t.is(results.filter((r) => r.created).length, 1);
  t.is((await tickets.listTickets()).length, 1);
});

test('comments are idempotent by key and reopen a resolved ticket', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const tickets = createTicketStore(db.store, clock);
  const { ticket } = await tickets.createTicket({ createdFrom: 'k', requester, subject: 's', description: 'd' });
  await tickets.updateTicket(ticket.number, { status: 'resolved' });
  await tickets.addComment({ key: 'c1', ticketNumber: ticket.number, author: requester, body: 'still broken' });
  await tickets.addComment({ key: 'c1', ticketNumber: ticket.number, author: requester, body: 'still broken' });
  await tickets.addComment({ key: 'c2', ticketNumber: ticket.number, author: requester, body: 'and now?' });
  const after = await tickets.getTicket(ticket.number);
  t.is(after.commentCount, 2);
  t.is(after.status, 'open');
  t.deepEqual((await tickets.listComments(ticket.number)).map((c) => c.body), ['still broken', 'and now?']);
});

test('a comment on a missing ticket is a typed error', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const tickets = createTicketStore(db.store, clock);
  const error = await t.throwsAsync(tickets.addComment({ key: 'c', ticketNumber: 4242, author: null, body: 'x' }));
  t.true(isAppError(error, 'TICKET_NOT_FOUND'));
});

test('objects of any type are created once per key; assignment, status and due changes raise events', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const tickets = createTicketStore(db.store, clock);
  const po = await tickets.createObject({ key: 'po|1', type: 'purchase-order', title: 'PO 4711', fields: { amount: 1200 } });
  const again = await tickets.createObject({ key: 'po|1', type: 'purchase-order', title: 'PO 4711' });
  t.true(po.created);
  t.false(again.created);
  t.is((await tickets.listObjects({ type: 'purchase-order' })).length, 1);

  const { ticket } = await tickets.createTicket({ createdFrom: 'k', requester, subject: 's', description: 'd' });
  await tickets.updateTicket(ticket.number, { assignee: 'bob@contoso.example', status: 'open', dueAt: new Date('2026-11-21T10:00:00Z') });
  const types = (await listPendingTicketEvents(db.store, 10)).map((e) => e.type).sort();
  t.deepEqual(types, ['ticket.assigned', 'ticket.created', 'ticket.due-changed', 'ticket.status-changed']);
});
