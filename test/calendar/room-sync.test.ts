import test from 'ava';
import { createReservationStore, createRoomSyncHandler, type RoomRecord, type RoomReservation } from '../../src/calendar/index.ts';
import type { RoomSyncJobConfig } from '../../src/config/job-config.ts';
import { createCallCounter } from '../../src/graph/index.ts';
import { collectionNames } from '../../src/store/index.ts';
import { room1, room2, startCalendarWorld } from './helpers/calendar-world.ts';
import { eventsOf, mailroomIdOf, writesSince } from './helpers/calendar-assertions.ts';

const dayMs = 86_400_000;
const hourMs = 3_600_000;
const today = Math.floor(Date.now() / dayMs) * dayMs;
const at = (days: number, hour: number): Date => new Date(today + days * dayMs + hour * hourMs);
const utc = (date: Date): { dateTime: string; timeZone: string } => ({ dateTime: date.toISOString().slice(0, 19), timeZone: 'UTC' });

const job: RoomSyncJobConfig = {
  name: 'rooms', type: 'room-sync', connection: 'test', enabled: true, schedule: '10 minutes', file: 'x',
  roomList: 'rooms-berlin@contoso.example', timeZone: 'Europe/Berlin', daysBack: 7, daysAhead: 60,
};

test('rooms: places into rooms; reservations round-trip both ways; a change on both sides is a recorded conflict; resync repairs drift', async (t) => {
  const world = await startCalendarWorld();
  t.teardown(() => world.close());
  const graph = world.deps.graphFor('test', createCallCounter());
  const roomEvents = (room: string): string => `/users/${encodeURIComponent(room)}/events`;
  const reservations = world.db.store.collection<RoomReservation>(collectionNames.roomReservations);
  const byId = async (id: string): Promise<RoomReservation | null> => reservations.findOne({ _id: id });
  // Mailroom's own edits are stamped by this clock, so "newer" is decided by the test, not by timing.
  let mailroomTime = new Date();
  const mailroom = createReservationStore(world.db.store, () => mailroomTime);
  const handler = createRoomSyncHandler(world.deps);

  const huddle = await graph.post<{ id: string }>(roomEvents(room1), { subject: 'Sales huddle', start: utc(at(2, 9)), end: utc(at(2, 10)) });
  await mailroom.upsertReservations([
    { externalId: 'R1', room: room1, subject: 'Team briefing', start: at(1, 7), end: at(1, 8), organizer: 'carol@contoso.example' },
    { externalId: 'R2', room: room2, subject: 'Customer workshop', start: at(3, 10), end: at(3, 12) },
    { externalId: 'R3', room: room2, subject: 'Quarterly review', start: at(4, 14), end: at(4, 16) },
  ]);

  // Run 1: rooms listed; Mailroom's reservations created on the room calendars; Outlook's reservation imported.
  const first = await world.run(job, handler);
  t.is(first.status, 'succeeded');
  t.like(first.counts, { rooms: 2, createdInOutlook: 3, imported: 1 });
  const rooms = await world.db.store.collection<RoomRecord>(collectionNames.rooms).find().sort({ _id: 1 }).toArray();
  t.deepEqual(rooms.map((r) => [r._id, r.displayName, r.capacity]), [[room1, 'Room 1 (Berlin)', 8], [room2, 'Room 2 (Berlin)', 20]]);
  t.deepEqual((await eventsOf(world.control, room2)).map(mailroomIdOf).sort(), ['mailroom:R2', 'mailroom:R3']);
  const imported = await byId(`outlook:${room1}:${huddle.id}`);
  t.like(imported, { subject: 'Sales huddle', source: 'outlook' });
  t.is(imported?.start.toISOString(), at(2, 9).toISOString());

  // Run 2: our own writes come back through delta as echoes and change nothing.
  await world.control.resetStats();
  const second = await world.run(job, handler);
  t.is((await writesSince(world.control)).total, 0);
  t.deepEqual(Object.keys(second.counts).sort(), ['rooms', 'roomsSynced']);

  // One side changed at a time: Mailroom moves R1, Outlook moves the huddle and deletes R2's event.
  mailroomTime = new Date();
  await mailroom.upsertReservations([{ externalId: 'R1', room: room1, subject: 'Team briefing', start: at(1, 8), end: at(1, 9), organizer: 'carol@contoso.example' }]);
  await graph.patch(`${roomEvents(room1)}/${encodeURIComponent(huddle.id)}`, { start: utc(at(2, 11)), end: utc(at(2, 12)) });
  const r2 = await byId('mailroom:R2');
  await graph.delete(`${roomEvents(room2)}/${encodeURIComponent(r2!.eventId!)}`);
  await world.control.resetStats();
  const third = await world.run(job, handler);
  t.like(third.counts, { updatedInOutlook: 1, updatedFromOutlook: 1, deletedFromOutlook: 1 });
  t.deepEqual(await writesSince(world.control), { POST: 0, PATCH: 1, DELETE: 0, total: 1 });
  t.is((await eventsOf(world.control, room1)).find((e) => mailroomIdOf(e) === 'mailroom:R1')?.start, at(1, 8).toISOString());
  t.is((await byId(`outlook:${room1}:${huddle.id}`))?.start.toISOString(), at(2, 11).toISOString());
  t.is(await byId('mailroom:R2'), null);

  // Both sides changed since the last sync. R1: Mailroom's edit is older → Outlook wins. R3: Mailroom's edit is newer → Mailroom wins.
  mailroomTime = new Date(Date.now() - hourMs);
  await mailroom.upsertReservations([{ externalId: 'R1', room: room1, subject: 'Team briefing (Mailroom)', start: at(1, 8), end: at(1, 9), organizer: 'carol@contoso.example' }]);
  mailroomTime = new Date(Date.now() + hourMs);
  await mailroom.upsertReservations([{ externalId: 'R3', room: room2, subject: 'Quarterly review (Mailroom)', start: at(4, 14), end: at(4, 16) }]);
  const r1 = await byId('mailroom:R1');
  const r3 = await byId('mailroom:R3');
  await graph.patch(`${roomEvents(room1)}/${encodeURIComponent(r1!.eventId!)}`, { subject: 'Team briefing (Outlook)' });
  await graph.patch(`${roomEvents(room2)}/${encodeURIComponent(r3!.eventId!)}`, { subject: 'Quarterly review (Outlook)' });
  const fourth = await world.run(job, handler);
  t.is(fourth.counts.conflicts, 2);
  const conflicts = fourth.items.filter((i) => i.outcome === 'conflict');
  t.deepEqual(conflicts.map((c) => [c.key, c.winner]).sort(), [['mailroom:R1', 'outlook'], ['mailroom:R3', 'mailroom']]);
  t.is((await byId('mailroom:R1'))?.subject, 'Team briefing (Outlook)');
  t.is((await eventsOf(world.control, room2)).find((e) => mailroomIdOf(e) === 'mailroom:R3')?.subject, 'Quarterly review (Mailroom)');

  // Cancelled in Mailroom → the event is deleted, then the reservation.
  await mailroom.cancelReservations(['mailroom:R3']);
  await world.control.resetStats();
  const fifth = await world.run(job, handler);
  t.like(fifth.counts, { deletedInOutlook: 1 });
  t.deepEqual(await writesSince(world.control), { POST: 0, PATCH: 0, DELETE: 1, total: 1 });
  t.deepEqual((await eventsOf(world.control, room2)).map(mailroomIdOf), []);
  t.is(await byId('mailroom:R3'), null);

  // Drift nobody recorded (the database edited behind the sync's back): a normal run cannot see it, a resync repairs it.
  await reservations.updateOne({ _id: 'mailroom:R1' }, { $set: { subject: 'Team briefing (fixed in the database)' } });
  await world.control.resetStats();
  await world.run(job, handler);
  t.is((await writesSince(world.control)).total, 0);
  const resync = await world.run(job, createRoomSyncHandler(world.deps, { full: true }));
  t.like(resync.counts, { updatedInOutlook: 1 });
  t.is((await eventsOf(world.control, room1)).find((e) => mailroomIdOf(e) === 'mailroom:R1')?.subject, 'Team briefing (fixed in the database)');
  t.is(await reservations.countDocuments(), 2, 'R1 and the huddle remain');
});
