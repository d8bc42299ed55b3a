import test from 'ava';
import { isAppError } from '../../src/core/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import { createTicketStore, listPendingTicketEvents } from '../../src/tickets/index.ts';

const clock = () => new Date('2026-11-20T10:00:00Z');
const requester = { address: 'ann@fabrikam.example', name: 'Ann' };

test('createTickets numbers new tickets consecutively in input order and finds existing ones by key', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const tickets = createTicketStore(db.store, clock);
  const existing = await tickets.createTicket({ createdFrom: 'm2', requester, subject: 'two', description: 'd' });
  const results = await tickets.createTickets(['m1', 'm2', 'm3', 'm1'].map((key) => ({ createdFrom: key, requester, subject: key, description: 'd' })));
  t.deepEqual(results.map((r) => r.created), [true, false, true, false]);
  t.is(results[1]!.ticket.number, existing.ticket.number);
  t.is(results[3]!.ticket.number, results[0]!.ticket.number);
  t.deepEqual([results[0]!.ticket.number, results[2]!.ticket.number], [existing.ticket.number + 1, existing.ticket.number + 2]);
  t.is((await tickets.listTickets()).length, 3);
  t.is((await listPendingTicketEvents(db.store, 10)).length, 3);
  const again = await tickets.createTickets(['m3', 'm1'].map((key) => ({ createdFrom: key, requester, subject: key, description: 'd' })));
  t.deepEqual(again.map((r) => [r.created, r.ticket.number]), [[false, results[2]!.ticket.number], [false, results[0]!.ticket.number]]);
});

test('addComments writes each comment once, counts per ticket and checks every ticket first', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const tickets = createTicketStore(db.store, clock);
  const [a, b] = await tickets.createTickets([{ createdFrom: 'a', requester, subject: 'a', description: 'd' }, { createdFrom: 'b', requester, subject: 'b', description: 'd' }]);
  const comment = (key: string, ticketNumber: number) => ({ key, ticketNumber, author: requester, body: key });
  const first = await tickets.addComments([comment('c1', a!.ticket.number), comment('c2', b!.ticket.number), comment('c3', a!.ticket.number)]);
  t.deepEqual(first.map((r) => r.created), [true, true, true]);
  const second = await tickets.addComments([comment('c3', a!.ticket.number), comment('c4', a!.ticket.number)]);
  t.deepEqual(second.map((r) => r.created), [false, true]);
  t.is((await tickets.getTicket(a!.ticket.number)).commentCount, 3);
  t.is((await tickets.getTicket(b!.ticket.number)).commentCount, 1);
  const error = await t.throwsAsync(tickets.addComments([comment('c5', a!.ticket.number), comment('c6', 4242)]));
  t.true(isAppError(error, 'TICKET_NOT_FOUND'));
  t.deepEqual((await tickets.listComments(a!.ticket.number)).map((c) => c.key), ['c1', 'c3', 'c4'], 'nothing is written when a ticket is missing');
});

test('createObjects creates each key once', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const tickets = createTicketStore(db.store, clock);
  const results = await tickets.createObjects([{ key: 'po|1', type: 'po', title: 'one' }, { key: 'po|2', type: 'po', title: 'two' }, { key: 'po|1', type: 'po', title: 'one' }]);
  t.deepEqual(results.map((r) => r.created), [true, true, false]);
  t.deepEqual((await tickets.createObjects([{ key: 'po|2', type: 'po', title: 'two' }])).map((r) => r.created), [false]);
  t.is((await tickets.listObjects({ type: 'po' })).length, 2);
});

test('concurrent batches with overlapping keys race to one ticket per key', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const tickets = createTicketStore(db.store, clock);
  const batch = (keys: string[]) => tickets.createTickets(keys.map((key) => ({ createdFrom: key, requester, subject: key, description: 'd' })));
  const results = await Promise.all([batch(['k1', 'k2', 'k3']), batch(['k3', 'k2', 'k4']), batch(['k2', 'k5'])]);
  const byKey = new Map<string, Set<number>>();
  for (const result of results) for (const { ticket } of result) byKey.set(ticket.createdFrom, (byKey.get(ticket.createdFrom) ?? new Set()).add(ticket.number));
  t.true([...byKey.values()].every((numbers) => numbers.size === 1));
  t.is(results.flat().filter((r) => r.created).length, 5);
  t.is((await tickets.listTickets()).length, 5);
});
