import test from 'ava';
import { createCalendarPublishHandler, createPlanStore, type PlannedItemInput } from '../../src/calendar/index.ts';
import type { CalendarPublishJobConfig } from '../../src/config/job-config.ts';
import { createCallCounter } from '../../src/graph/index.ts';
import { alice, bob, carol, startCalendarWorld } from './helpers/calendar-world.ts';
import { eventsOf, itemKeysIn, mailroomIdOf, operationsByMailbox, writesSince } from './helpers/calendar-assertions.ts';

const dayMs = 86_400_000;
const today = Math.floor(Date.now() / dayMs) * dayMs;
/** An instant `days` from today at `hour`:00 UTC. */
const at = (days: number, hour: number): Date => new Date(today + days * dayMs + hour * 3_600_000);
const dateIn = (days: number): string => new Date(today + days * dayMs).toISOString().slice(0, 10);

function job(overrides: Partial<CalendarPublishJobConfig> = {}): CalendarPublishJobConfig {
  return {
    name: 'plan.publish', type: 'calendar-publish', connection: 'test', enabled: true, schedule: '15 minutes', file: 'schedules/test.json',
    timeZone: 'Europe/Berlin', daysBack: 365, lookupPrincipalName: false,
    resources: [{ mailbox: alice, active: true }, { mailbox: bob, active: true }, { mailbox: carol, active: false }],
    ...overrides,
  };
}

function appointment(id: string, resource: string | null, start: Date, hours = 1): PlannedItemInput {
  return { kind: 'appointment', externalId: id, title: `Job ${id}`, resource, start, end: new Date(start.getTime() + hours * 3_600_000), customer: `Customer ${id}`, address: `Street ${id}` };
}

test('publish: every change kind gives the right Graph writes and end state; reruns write nothing; foreign events are never touched', async (t) => {
  const world = await startCalendarWorld();
  t.teardown(() => world.close());
  const plans = createPlanStore(world.db.store, () => new Date());
  const handler = createCalendarPublishHandler(world.deps);
  const graph = world.deps.graphFor('test', createCallCounter());
  const foreign = { subject: 'Dentist (private)', start: { dateTime: `${dateIn(1)}T15:00:00`, timeZone: 'UTC' }, end: { dateTime: `${dateIn(1)}T16:00:00`, timeZone: 'UTC' } };
  await graph.post(`/users/${alice}/events`, foreign);
  await graph.post(`/users/${carol}/events`, foreign);

  await plans.upsertItems([
    appointment('A1', alice, at(1, 8)), appointment('A2', alice, at(2, 8)), appointment('A3', bob, at(3, 8)), appointment('A4', bob, at(4, 8)),
    { kind: 'unavailability', externalId: 'U1', resource: alice, start: at(5, 8), end: at(5, 11), reason: 'Training' },
    { kind: 'unavailability', externalId: 'U2', resource: bob, start: at(6, 8), end: at(6, 12) },
    { kind: 'workingDay', externalId: 'W1', resource: bob, date: dateIn(7), note: 'Saturday' },
    appointment('C1', carol, at(1, 9)),
    appointment('OLD', alice, at(-400, 8)),
  ]);

  // Run 1: everything new is created; the inactive resource and the item older than daysBack are left alone.
  await world.control.resetStats();
  const first = await world.run(job(), handler);
  t.is(first.status, 'succeeded');
  t.like(first.counts, { created: 7 });
  t.deepEqual(await writesSince(world.control), { POST: 7, PATCH: 0, DELETE: 0, total: 7 });
  t.deepEqual(await itemKeysIn(world.control, alice), ['appointment:A1', 'appointment:A2', 'unavailability:U1']);
  t.deepEqual(await itemKeysIn(world.control, bob), ['appointment:A3', 'appointment:A4', 'unavailability:U2', 'workingDay:W1']);
  t.is((await operationsByMailbox(world.control))[carol], undefined, 'no request at all for the inactive resource');
  const aliceEvents = await eventsOf(world.control, alice);
  const a1 = aliceEvents.find((e) => mailroomIdOf(e) === 'appointment:A1')!;
  t.is(a1.originalStart.timeZone, 'Europe/Berlin');
  t.is(a1.start, at(1, 8).toISOString());
  t.true(a1.transactionId?.startsWith('mailroom-'));
  const w1 = (await eventsOf(world.control, bob)).find((e) => mailroomIdOf(e) === 'workingDay:W1')!;
  t.true(w1.isAllDay);
  t.is((await eventsOf(world.control, alice)).find((e) => mailroomIdOf(e) === 'unavailability:U1')?.showAs, 'oof');

  // Run 2: nothing changed → reads only.
  await world.control.resetStats();
  const second = await world.run(job(), handler);
  t.like(second.counts, { unchanged: 7 });
  t.is((await writesSince(world.control)).total, 0);

  // Every kind of change at once.
  await plans.upsertItems([
    appointment('A1', alice, at(1, 12)),            // moved, same resource
    appointment('A2', null, at(2, 8)),              // un-planned
    appointment('A3', alice, at(3, 8)),             // moved to another resource
    { kind: 'unavailability', externalId: 'U1', resource: alice, start: at(5, 8), end: at(5, 14), reason: 'Training' }, // changed
    { kind: 'unavailability', externalId: 'U3', resource: alice, start: at(9, 8), end: at(9, 10) },                      // added
    { kind: 'workingDay', externalId: 'W2', resource: alice, date: dateIn(8), from: '08:00', to: '12:00' },           // added
    appointment('C1', carol, at(1, 10)),            // inactive resource: ignored
  ]);
  await plans.removeItems(['unavailability:U2', 'workingDay:W1']);
  await world.control.resetStats();
  const third = await world.run(job(), handler);
  t.is(third.status, 'succeeded');
  t.like(third.counts, { created: 2, moved: 1, updated: 2, deleted: 4, unchanged: 1 });
  t.deepEqual(await writesSince(world.control), { POST: 3, PATCH: 2, DELETE: 4, total: 9 });
  t.deepEqual(await itemKeysIn(world.control, alice), ['appointment:A1', 'appointment:A3', 'unavailability:U1', 'unavailability:U3', 'workingDay:W2']);
  t.deepEqual(await itemKeysIn(world.control, bob), ['appointment:A4']);
  const after = await eventsOf(world.control, alice);
  t.is(after.find((e) => mailroomIdOf(e) === 'appointment:A1')?.start, at(1, 12).toISOString());
  t.is(after.find((e) => mailroomIdOf(e) === 'unavailability:U1')?.end, at(5, 14).toISOString());
  t.is(after.find((e) => mailroomIdOf(e) === 'workingDay:W2')?.originalStart.dateTime.slice(11, 16), '08:00');
  t.true(after.some((e) => e.subject === 'Dentist (private)'), 'the foreign event in a published calendar stays');
  t.is((await eventsOf(world.control, carol)).length, 1, 'the inactive resource keeps only its own event');
  t.like(third.items.find((i) => i.outcome === 'moved'), { key: 'appointment:A3', resource: alice, from: bob });

  // Deleted by hand in Outlook → recreated on the next run.
  await graph.delete(`/users/${alice}/events/${encodeURIComponent(after.find((e) => mailroomIdOf(e) === 'appointment:A1')!.id)}`);
  await world.control.resetStats();
  const fourth = await world.run(job(), handler);
  t.like(fourth.counts, { recreated: 1, unchanged: 5 });
  t.deepEqual(await writesSince(world.control), { POST: 1, PATCH: 0, DELETE: 0, total: 1 });
  t.deepEqual((await itemKeysIn(world.control, alice)).filter((k) => k === 'appointment:A1'), ['appointment:A1']);

  await world.control.resetStats();
  await world.run(job(), handler);
  t.is((await writesSince(world.control)).total, 0);
});

test('publish: without a resource list every resource in the plan is published (looked up by mail address), and job results count the Graph calls', async (t) => {
  const world = await startCalendarWorld();
  t.teardown(() => world.close());
  const plans = createPlanStore(world.db.store, () => new Date());
  await plans.upsertItems([appointment('X1', carol, at(2, 9))]);
  await world.control.resetStats();
  const run = await world.run(job({ resources: null, lookupPrincipalName: true }), createCalendarPublishHandler(world.deps));
  t.like(run.counts, { created: 1 });
  t.is((await world.control.stats()).byRoute['GET /users'], 1, 'one mail → id lookup');
  t.deepEqual(await itemKeysIn(world.control, carol), ['appointment:X1']);
  t.true(run.graph.requests >= 2 && run.graph.operations >= 2, JSON.stringify(run.graph));
  const stored = await world.results.get(run._id);
  t.is(stored.items[0]?.outcome, 'created');
});
