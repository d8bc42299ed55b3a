import test from 'ava';
import { Command } from 'commander';
import { createRoomSyncHandler, fullRoomSyncIntervalMs, type RoomRecord } from '../../src/calendar/index.ts';
import { syncRooms } from '../../src/calendar/sync-rooms.ts';
import { registerCalendarCommands } from '../../src/cli/commands/calendar-commands.ts';
import type { CliDeps } from '../../src/cli/cli-deps.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { collectionNames, type Store } from '../../src/store/index.ts';
import { room1, room2 } from './helpers/calendar-world.ts';
import { eventsOf, writesSince } from './helpers/calendar-assertions.ts';
import { at, roomJob, startRoomWorld } from './helpers/room-world.ts';

/** `mailroom calendar …` through the real command definitions on the test database; returns stdout. */
async function calendarCli(args: string[], store: Store): Promise<string> {
  let out = '';
  const deps = {
    stdout: (text: string) => void (out += text), stderr: () => undefined, cwd: process.cwd(), env: {}, isTTY: false, logger: createSilentLogger(),
    loadConfig: () => Promise.reject(new Error('not needed')), openApp: () => Promise.reject(new Error('not needed')),
    setExitCode: () => undefined, openStore: () => Promise.resolve(store),
  } satisfies CliDeps;
  const program = new Command('mailroom').exitOverride();
  registerCalendarCommands(program, deps);
  await program.parseAsync(['node', 'mailroom', 'calendar', ...args]);
  return out;
}

test('a full sync ("Sync All") may run only every 10 minutes per job: the second within 10 minutes is refused with a clear message', async (t) => {
  // The handler reads time from the injected clock only, so "10 minutes later" is a value, not a wait.
  let now = new Date();
  const world = await startRoomWorld(() => now);
  t.teardown(() => world.close());
  const full = createRoomSyncHandler(world.deps, { full: true });
  const started = now;

  const first = await world.run(roomJob(), full);
  t.is(first.status, 'succeeded');

  now = new Date(started.getTime() + fullRoomSyncIntervalMs - 1000);
  await world.control.resetStats();
  const second = await world.run(roomJob(), full);
  t.is(second.status, 'failed');
  t.is(second.error?.code, 'CALENDAR_FULL_SYNC_TOO_SOON');
  t.is(second.error?.message,
    `a full sync of room-sync job "rooms" started at ${started.toISOString()}; all room calendars may be synced in full only every 10 minutes, so the next one may start at ${new Date(started.getTime() + fullRoomSyncIntervalMs).toISOString()}`);
  t.regex(second.error?.hint ?? '', /scheduled sync keeps picking up changes/);
  t.is((await world.control.stats()).operations, 0, 'refused before any Graph request');

  const scheduled = await world.run(roomJob(), createRoomSyncHandler(world.deps));
  t.is(scheduled.status, 'succeeded', 'the ongoing sync is not limited');
  const otherJob = await world.run({ ...roomJob(), name: 'rooms-other' }, full);
  t.is(otherJob.status, 'succeeded', 'each job has its own slot');

  now = new Date(started.getTime() + fullRoomSyncIntervalMs);
  const third = await world.run(roomJob(), full);
  t.is(third.status, 'succeeded');
  now = new Date(now.getTime() + 60_000);
  t.is((await world.run(roomJob(), full)).error?.code, 'CALENDAR_FULL_SYNC_TOO_SOON', 'the slot moved to the third run');
});

test('each room goes from pending to active, error with the reason after a failed round, and back; calendar list and the job results show it', async (t) => {
  const world = await startRoomWorld();
  t.teardown(() => world.close());
  t.regex(await calendarCli(['list'], world.db.store), /no rooms yet/);

  // Listing the rooms (the first step of every run) records new rooms as pending.
  await syncRooms(world.graph, world.db.store, { roomList: 'rooms-berlin@contoso.example', at: new Date() });
  const rooms = world.db.store.collection<RoomRecord>(collectionNames.rooms);
  t.deepEqual((await rooms.find().sort({ _id: 1 }).toArray()).map((r) => [r._id, r.syncStatus]), [[room1, 'pending'], [room2, 'pending']]);

  await world.control.fault({ mailbox: room2, path: 'calendarView', status: 403, count: 50 });
  const failing = await world.sync();
  t.is(failing.status, 'partial');
  t.like(failing.items.find((i) => i.key === room1), { outcome: 'roomSynced', status: 'active' });
  const failed = failing.items.find((i) => i.key === room2);
  t.like(failed, { outcome: 'failed', status: 'error', error: { code: 'GRAPH_MAILBOX_ACCESS_POLICY' } });
  t.like(await rooms.findOne({ _id: room2 }), { syncStatus: 'error', syncError: { code: 'GRAPH_MAILBOX_ACCESS_POLICY' } });

  const listed = JSON.parse(await calendarCli(['list', '--json'], world.db.store)) as { room: string; status: string; reason: { code: string } | null }[];
  t.deepEqual(listed.map((r) => [r.room, r.status, r.reason?.code ?? null]), [[room1, 'active', null], [room2, 'error', 'GRAPH_MAILBOX_ACCESS_POLICY']]);
  const text = await calendarCli(['list'], world.db.store);
  t.regex(text, /room-2@contoso\.example\s+Room 2 \(Berlin\)\s+error\s+\d{4}-.*GRAPH_MAILBOX_ACCESS_POLICY: /);

  await world.control.clearFaults();
  const healed = await world.sync();
  t.is(healed.status, 'succeeded');
  t.like(await rooms.findOne({ _id: room2 }), { syncStatus: 'active', syncError: null });
  t.like(await rooms.findOne({ _id: room1 }), { syncStatus: 'active', displayName: 'Room 1 (Berlin)' });
});

test('recurring reservations from Mailroom are written by the ongoing sync, not by a full sync; their occurrences are not imported back', async (t) => {
  let now = new Date();
  const world = await startRoomWorld(() => now);
  t.teardown(() => world.close());
  const full = createRoomSyncHandler(world.deps, { full: true });
  const later = (): void => { now = new Date(now.getTime() + fullRoomSyncIntervalMs); };
  const firstDay = at(1, 9).toISOString().slice(0, 10);
  const lastDay = new Date(at(1, 9).getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
  const recurrence = { pattern: { type: 'daily', interval: 7 }, range: { type: 'endDate', startDate: firstDay, endDate: lastDay } };
  await world.reservations.upsertReservations([
    { externalId: 'R1', room: room1, subject: 'Weekly stand-up', start: at(1, 9), end: at(1, 10), recurrence },
    { externalId: 'R2', room: room2, subject: 'Once', start: at(2, 9), end: at(2, 10) },
  ]);

  const fullRun = await world.run(roomJob(), full);
  t.like(fullRun.counts, { deferred: 1, createdInOutlook: 1 });
  t.regex(String(fullRun.items.find((i) => i.outcome === 'deferred')?.reason), /recurring reservation: the full sync does not write it/);
  t.deepEqual(await eventsOf(world.control, room1), []);

  const ongoing = await world.sync();
  t.is(ongoing.counts.createdInOutlook, 1);
  const [series] = await eventsOf(world.control, room1);
  t.like(series, { type: 'seriesMaster', subject: 'Weekly stand-up' });

  await world.control.resetStats();
  const echo = await world.sync();
  t.is((await writesSince(world.control)).total, 0);
  t.is(echo.counts.imported, undefined, 'the occurrences are the reservation, not new ones');

  later();
  const resync = await world.run(roomJob(), full);
  t.is(resync.status, 'succeeded');
  t.is(resync.counts.imported, undefined);
  t.is(resync.counts.deletedFromOutlook, undefined, 'a full round sees the series through its occurrences');
  t.is((await world.byId('mailroom:R1'))?.eventId, series!.id);

  await world.reservations.upsertReservations([{ externalId: 'R1', room: room1, subject: 'Weekly stand-up (moved)', start: at(1, 11), end: at(1, 12), recurrence }]);
  later();
  await world.control.resetStats();
  const deferred = await world.run(roomJob(), full);
  t.is(deferred.counts.deferred, 1);
  t.is((await writesSince(world.control)).total, 0);
  const written = await world.sync();
  t.is(written.counts.updatedInOutlook, 1);
  t.like((await eventsOf(world.control, room1))[0], { subject: 'Weekly stand-up (moved)', start: at(1, 11).toISOString() });
});
