// The seed's three user-calendar options of the room sync, against the emulator's model of a room as a meeting's
// resource attendee: a room accepting a meeting request puts the meeting on its calendar (same iCalUId, the user as
// organizer, https://learn.microsoft.com/en-us/graph/api/resources/attendee and
// https://learn.microsoft.com/en-us/graph/api/resources/event); only the organizer's event can be changed
// (https://learn.microsoft.com/en-us/graph/api/event-cancel: an attendee's cancel is refused).
import test from 'ava';
import { mailroomIdProperty, type RoomReservation } from '../../src/calendar/index.ts';
import { isAppError } from '../../src/core/index.ts';
import { alice, bob, carol, room1, room2 } from './helpers/calendar-world.ts';
import { eventsOf, operationsByMailbox, writesSince } from './helpers/calendar-assertions.ts';
import { at, startRoomWorld, utc, type RoomWorld } from './helpers/room-world.ts';

interface GraphEvent {
  id: string;
  subject: string;
  isOrganizer: boolean;
  isCancelled: boolean;
  iCalUId: string;
  organizer: { emailAddress: { address: string } };
  start: { dateTime: string };
  attendees: { type: string; emailAddress: { address: string }; status: { response: string } }[];
}

const users = [alice, bob, carol];
const roomEvent = (world: RoomWorld, room: string, id: string): Promise<GraphEvent> =>
  world.graph.get<GraphEvent>(`/users/${encodeURIComponent(room)}/events/${encodeURIComponent(id)}`, { headers: { Prefer: 'outlook.timezone="UTC"' } });
const onlyReservation = async (world: RoomWorld, room: string): Promise<RoomReservation> => {
  const all = await world.reservations.listReservations({ room });
  if (all.length !== 1) throw new Error(`expected one reservation in ${room}, found ${all.length}`);
  return all[0]!;
};
/** Graph operations on users' mailboxes (not rooms') since the last stats reset. */
const userCalendarOperations = async (world: RoomWorld): Promise<Record<string, number>> =>
  Object.fromEntries(Object.entries(await operationsByMailbox(world.control)).filter(([mailbox]) => users.includes(mailbox.toLowerCase())));

test('emulator: a room accepts a meeting request onto its calendar; the organizer\'s changes and cancellation reach the room\'s copy, which cannot be cancelled itself', async (t) => {
  const world = await startRoomWorld();
  t.teardown(() => world.close());
  const meeting = await world.book(carol, 'Design review', at(2, 9), at(2, 10));
  const [copy] = await eventsOf(world.control, room1);
  t.truthy(copy);
  const seen = await roomEvent(world, room1, copy!.id);
  t.like(seen, { isOrganizer: false, isCancelled: false, iCalUId: meeting.iCalUId, subject: 'Carol Dispatcher', organizer: { emailAddress: { address: carol } } });
  const [organizers] = await eventsOf(world.control, carol);
  t.deepEqual((organizers!.attendees as GraphEvent['attendees']).map((a) => [a.type, a.emailAddress.address, a.status.response]), [['resource', room1, 'accepted']]);

  const refused = await t.throwsAsync(world.graph.post(`/users/${encodeURIComponent(room1)}/events/${encodeURIComponent(copy!.id)}/cancel`, {}));
  t.true(isAppError(refused, 'GRAPH_BAD_REQUEST'), String(refused));

  await world.graph.patch(`/users/${encodeURIComponent(carol)}/events/${encodeURIComponent(meeting.id)}`, { start: { dateTime: at(2, 11).toISOString().slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(2, 12).toISOString().slice(0, 19), timeZone: 'UTC' } });
  t.is((await eventsOf(world.control, room1))[0]?.start, at(2, 11).toISOString());
  await world.graph.post(`/users/${encodeURIComponent(carol)}/events/${encodeURIComponent(meeting.id)}/cancel`, { comment: 'no longer needed' });
  t.deepEqual(await eventsOf(world.control, carol), []);
  t.like(await roomEvent(world, room1, copy!.id), { isCancelled: true });
});

test('defaults: a user\'s meeting is imported with its title read from the organizer\'s calendar; without delegation Mailroom\'s change and cancellation are reported, not written', async (t) => {
  const world = await startRoomWorld();
  t.teardown(() => world.close());
  await world.book(carol, 'Design review', at(2, 9), at(2, 10));
  await world.control.resetStats();
  const first = await world.sync();
  t.like(first.counts, { imported: 1 });
  const imported = await onlyReservation(world, room1);
  t.like(imported, { subject: 'Design review', organizer: carol, organizerOwned: true, placeholder: false, source: 'outlook' });
  t.true((await userCalendarOperations(world))[carol]! > 0, 'strict mode off reads the organizer\'s calendar');

  await world.reservations.changeReservation(imported._id, { subject: 'Design review (moved)', start: at(3, 9), end: at(3, 10) });
  await world.control.resetStats();
  const second = await world.sync();
  t.is(second.counts.notWritable, 1);
  t.regex(String(second.items.find((i) => i.outcome === 'notWritable')?.reason), /carol@contoso\.example organizes this meeting.*cannot be updated.*enableUserCalendarDelegation/);
  t.is((await writesSince(world.control)).total, 0);
  t.is((await eventsOf(world.control, carol))[0]?.subject, 'Design review', 'the organizer\'s event is untouched');

  await world.reservations.cancelReservations([imported._id]);
  const third = await world.sync();
  t.regex(String(third.items.find((i) => i.outcome === 'notWritable')?.reason), /cannot be cancelled/);
  t.is((await eventsOf(world.control, carol)).length, 1);
});

test('enableUserCalendarDelegation: an organizer-owned reservation is updated and cancelled through the organizer\'s calendar, and the room\'s copy follows', async (t) => {
  const world = await startRoomWorld();
  t.teardown(() => world.close());
  const options = { enableUserCalendarDelegation: true };
  const meeting = await world.book(carol, 'Design review', at(2, 9), at(2, 10));
  await world.book(bob, 'Not ours to touch', at(4, 9), at(4, 10), room2);
  await world.sync(options);
  const r = await onlyReservation(world, room1);

  await world.reservations.changeReservation(r._id, { subject: 'Design review (moved)', start: at(3, 9), end: at(3, 10) });
  await world.control.resetStats();
  const update = await world.sync(options);
  t.is(update.counts.updatedViaOrganizer, 1);
  t.deepEqual(await writesSince(world.control), { POST: 0, PATCH: 1, DELETE: 0, total: 1 });
  t.deepEqual(Object.keys(await userCalendarOperations(world)), [carol], 'only the organizer of the changed reservation is touched');
  const [organizers] = await eventsOf(world.control, carol);
  t.like(organizers, { id: meeting.id, subject: 'Design review (moved)', start: at(3, 9).toISOString() });
  t.is((await eventsOf(world.control, room1))[0]?.start, at(3, 9).toISOString(), 'the room\'s copy moved with the organizer\'s event');

  // The room's copy changed because of our write: an echo, not a change from Outlook.
  await world.control.resetStats();
  const echo = await world.sync(options);
  t.is((await writesSince(world.control)).total, 0);
  t.is(echo.counts.updatedFromOutlook, undefined);
  t.is((await world.byId(r._id))?.subject, 'Design review (moved)');

  await world.reservations.cancelReservations([r._id]);
  const cancel = await world.sync(options);
  t.is(cancel.counts.cancelledViaOrganizer, 1);
  t.deepEqual(await eventsOf(world.control, carol), [], 'cancelled by its organizer');
  const [copy] = await eventsOf(world.control, room1);
  t.like(await roomEvent(world, room1, copy!.id), { isCancelled: true });
  t.is(await world.byId(r._id), null);
  const after = await world.sync(options);
  t.is(after.counts.imported, undefined, 'the cancelled copy on the room\'s calendar is not imported again');
  t.is((await eventsOf(world.control, bob))[0]?.subject, 'Not ours to touch');
});

test('userCalendarStrictMode: no request goes to any user calendar; titles are placeholders; Outlook\'s new times still come over', async (t) => {
  const world = await startRoomWorld();
  t.teardown(() => world.close());
  const options = { userCalendarStrictMode: true };
  const meeting = await world.book(carol, 'Design review', at(2, 9), at(2, 10));
  await world.control.resetStats();
  const first = await world.sync(options);
  t.like(first.counts, { imported: 1 });
  const r = await onlyReservation(world, room1);
  t.like(r, { subject: 'Carol Dispatcher', placeholder: true, organizerOwned: true });
  t.deepEqual(await userCalendarOperations(world), {}, 'the first, full round read no user calendar either');

  await world.graph.patch(`/users/${encodeURIComponent(carol)}/events/${encodeURIComponent(meeting.id)}`, { start: { dateTime: at(2, 13).toISOString().slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(2, 14).toISOString().slice(0, 19), timeZone: 'UTC' } });
  await world.control.resetStats();
  const second = await world.sync(options);
  t.is(second.counts.updatedFromOutlook, 1);
  t.is((await world.byId(r._id))?.start.toISOString(), at(2, 13).toISOString());

  await world.reservations.changeReservation(r._id, { subject: 'Renamed in Mailroom' });
  const third = await world.sync(options);
  t.is(third.counts.notWritable, 1);
  const byMailbox = await operationsByMailbox(world.control);
  t.deepEqual(await userCalendarOperations(world), {}, 'strict mode queries no user calendar');
  t.true((byMailbox[room1] ?? 0) > 0, 'the rooms were read');
});

test('both on: strict mode still queries and writes user calendars for what delegation updates or cancels, and nothing else', async (t) => {
  const world = await startRoomWorld();
  t.teardown(() => world.close());
  const options = { enableUserCalendarDelegation: true, userCalendarStrictMode: true };
  const meeting = await world.book(carol, 'Design review', at(2, 9), at(2, 10));
  await world.book(alice, 'Alice\'s planning', at(5, 9), at(5, 10), room2);
  await world.control.resetStats();
  await world.sync(options);
  t.deepEqual(await userCalendarOperations(world), {}, 'reading needs no user calendar');
  const r = await onlyReservation(world, room1);
  t.like(r, { subject: 'Carol Dispatcher', placeholder: true });

  await world.reservations.changeReservation(r._id, { subject: 'Design review', start: at(2, 15), end: at(2, 16) });
  await world.control.resetStats();
  const update = await world.sync(options);
  t.is(update.counts.updatedViaOrganizer, 1);
  t.deepEqual(Object.keys(await userCalendarOperations(world)), [carol], 'the organizer\'s event was looked up and patched');
  t.like((await eventsOf(world.control, carol))[0], { id: meeting.id, subject: 'Design review', start: at(2, 15).toISOString() });

  await world.control.resetStats();
  await world.sync(options);
  t.deepEqual(await userCalendarOperations(world), {});
  t.is((await writesSince(world.control)).total, 0);
  t.is((await world.byId(r._id))?.subject, 'Design review', 'the room copy\'s placeholder does not overwrite the title Mailroom wrote');

  await world.reservations.cancelReservations([r._id]);
  const cancel = await world.sync(options);
  t.is(cancel.counts.cancelledViaOrganizer, 1);
  t.deepEqual(await eventsOf(world.control, carol), []);
  t.is((await eventsOf(world.control, alice)).length, 1);
});

test('createUserCalendarReservations: created in the organizer\'s calendar with the room as resource attendee, linked to the room\'s copy, organizer fixed; with delegation updated and cancelled there', async (t) => {
  const world = await startRoomWorld();
  t.teardown(() => world.close());
  const options = { createUserCalendarReservations: true, enableUserCalendarDelegation: true };
  await world.reservations.upsertReservations([
    { externalId: 'R1', room: room1, subject: 'Onboarding', start: at(1, 9), end: at(1, 10), organizer: alice },
    { externalId: 'R2', room: room2, subject: 'Cleaning', start: at(1, 11), end: at(1, 12) },
  ]);
  const first = await world.sync(options);
  t.like(first.counts, { createdInUserCalendar: 1, createdInOutlook: 1 });
  const [alices] = await eventsOf(world.control, alice);
  t.like(alices, { subject: 'Onboarding', start: at(1, 9).toISOString() });
  t.deepEqual((alices!.attendees as GraphEvent['attendees']).map((a) => [a.type, a.emailAddress.address, a.status.response]), [['resource', room1, 'accepted']]);
  const [copy] = await eventsOf(world.control, room1);
  t.like(await roomEvent(world, room1, copy!.id), { isOrganizer: false, organizer: { emailAddress: { address: alice } } });
  t.like(await world.byId('mailroom:R1'), { organizerOwned: true, organizerEventId: alices!.id, eventId: null });

  const second = await world.sync(options);
  t.is(second.counts.linked, 1);
  t.is(second.counts.imported, undefined, 'the room\'s copy is ours, not a new reservation');
  t.is((await world.byId('mailroom:R1'))?.eventId, copy!.id);

  const moved = await t.throwsAsync(world.reservations.upsertReservations([{ externalId: 'R1', room: room1, subject: 'Onboarding', start: at(1, 9), end: at(1, 10), organizer: bob }]));
  t.true(isAppError(moved, 'CALENDAR_INVALID_IMPORT'));
  t.regex(String(moved?.message), /created in alice@contoso\.example's calendar; its organizer cannot change/);

  await world.reservations.upsertReservations([{ externalId: 'R1', room: room1, subject: 'Onboarding (longer)', start: at(1, 9), end: at(1, 11), organizer: alice }]);
  await world.control.resetStats();
  const update = await world.sync(options);
  t.is(update.counts.updatedViaOrganizer, 1);
  t.is(((await world.control.stats()).byRoute['GET /users/{user}/events'] ?? 0), 0, 'the organizer\'s event id was known: no lookup');
  t.like((await eventsOf(world.control, alice))[0], { subject: 'Onboarding (longer)', end: at(1, 11).toISOString() });
  t.is((await eventsOf(world.control, room1))[0]?.end, at(1, 11).toISOString());

  await world.reservations.cancelReservations(['mailroom:R1']);
  const cancel = await world.sync(options);
  t.is(cancel.counts.cancelledViaOrganizer, 1);
  t.deepEqual(await eventsOf(world.control, alice), []);
});

test('createUserCalendarReservations without delegation: later changes cannot be written to the organizer\'s meeting', async (t) => {
  const world = await startRoomWorld();
  t.teardown(() => world.close());
  const options = { createUserCalendarReservations: true };
  await world.reservations.upsertReservations([{ externalId: 'R1', room: room1, subject: 'Onboarding', start: at(1, 9), end: at(1, 10), organizer: alice }]);
  await world.sync(options);
  await world.sync(options);
  await world.reservations.upsertReservations([{ externalId: 'R1', room: room1, subject: 'Onboarding (moved)', start: at(1, 13), end: at(1, 14), organizer: alice }]);
  await world.control.resetStats();
  const run = await world.sync(options);
  t.is(run.counts.notWritable, 1);
  t.is((await writesSince(world.control)).total, 0);
  t.is((await eventsOf(world.control, alice))[0]?.subject, 'Onboarding');
});

test('createUserCalendarReservations: a meeting created in the organizer\'s calendar but not recorded (the run died) is linked by our id on the organizer\'s event, not created twice or imported', async (t) => {
  const world = await startRoomWorld();
  t.teardown(() => world.close());
  const options = { createUserCalendarReservations: true };
  await world.reservations.upsertReservations([{ externalId: 'R1', room: room1, subject: 'Onboarding', start: at(1, 9), end: at(1, 10), organizer: alice }]);
  // What the killed run left behind: its POST to alice's calendar went through (the room accepted), nothing was saved.
  await world.graph.post(`/users/${encodeURIComponent(alice)}/events`, {
    subject: 'Onboarding', start: utc(at(1, 9)), end: utc(at(1, 10)), attendees: [{ type: 'resource', emailAddress: { address: room1 } }],
    singleValueExtendedProperties: [{ id: mailroomIdProperty, value: 'mailroom:R1' }],
  });
  const run = await world.sync(options);
  t.is(run.counts.linked, 1);
  t.is(run.counts.createdInUserCalendar, undefined);
  t.is(run.counts.imported, undefined);
  t.is((await eventsOf(world.control, alice)).length, 1);
  t.like(await world.byId('mailroom:R1'), { organizerOwned: true, eventId: (await eventsOf(world.control, room1))[0]!.id, organizerEventId: (await eventsOf(world.control, alice))[0]!.id });
  t.is((await world.reservations.listReservations()).length, 1);
});
