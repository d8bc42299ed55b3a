import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { Command } from 'commander';
import { createPlanStore, createReservationStore } from '../../src/calendar/index.ts';
import { registerCalendarCommands } from '../../src/cli/commands/calendar-commands.ts';
import type { CliDeps } from '../../src/cli/cli-deps.ts';
import { isAppError, systemClock } from '../../src/core/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { collectionNames, startTestDatabase, type Store } from '../../src/store/index.ts';
import { makeTempProject } from '../helpers/temp-project.ts';

/** Runs `mailroom calendar …` through the real command definitions with a test database; returns stdout. */
async function calendarCli(args: string[], cwd: string, store: Store): Promise<string> {
  let out = '';
  const deps = {
    stdout: (text: string) => void (out += text), stderr: () => undefined, cwd, env: {}, isTTY: false, logger: createSilentLogger(),
    loadConfig: () => Promise.reject(new Error('not needed')), openApp: () => Promise.reject(new Error('not needed')),
    setExitCode: () => undefined, openStore: () => Promise.resolve(store),
  } satisfies CliDeps;
  const program = new Command('mailroom').exitOverride();
  registerCalendarCommands(program, deps);
  await program.parseAsync(['node', 'mailroom', 'calendar', ...args]);
  return out;
}

test('calendar import upserts by id, --full removes what the file no longer lists, and a bad file is reported with file and pointer', async (t) => {
  const db = await startTestDatabase();
  const project = await makeTempProject({});
  t.teardown(async () => { await db.drop(); await project.cleanup(); });

  const summary = JSON.parse(await calendarCli(['import', join(process.cwd(), 'fixtures/calendar/demo-plan.json'), '--json'], project.dir, db.store)) as {
    items: { created: number }; reservations: { created: number };
  };
  t.is(summary.items.created, 9);
  t.is(summary.reservations.created, 2);
  const again = await calendarCli(['import', join(process.cwd(), 'fixtures/calendar/demo-plan.json')], project.dir, db.store);
  t.regex(again, /planned items 0 created, 0 updated, 9 unchanged, 0 removed/);

  await writeFile(join(project.dir, 'small.json'), JSON.stringify({
    appointments: [{ id: 'A-1001', title: 'Boiler service (moved)', resource: 'alice@contoso.example', start: '2026-12-01T09:00:00+01:00', end: '2026-12-01T11:00:00+01:00' }],
    roomReservations: [],
  }));
  const full = JSON.parse(await calendarCli(['import', 'small.json', '--full', '--json'], project.dir, db.store)) as {
    items: { updated: number; removed: number }; reservations: { cancelled: number };
  };
  t.is(full.items.updated, 1);
  t.is(full.items.removed, 4, 'the other appointments go; unavailabilities and working days (sections absent from the file) stay');
  t.is(full.reservations.cancelled, 2);
  const left = await createPlanStore(db.store, systemClock).listItems();
  t.deepEqual(left.map((i) => i._id), ['appointment:A-1001', 'unavailability:U-201', 'unavailability:U-202', 'workingDay:W-301', 'workingDay:W-302']);
  t.is(left[0]?.version, 2);
  t.deepEqual((await createReservationStore(db.store, systemClock).listReservations()).length, 0);

  await writeFile(join(project.dir, 'bad.json'), JSON.stringify({ appointments: [{ id: 'A-1', title: 'x', resource: 'not-an-address', start: '2026-12-01T09:00:00+01:00', end: '2026-12-01T08:00:00+01:00' }], workingDays: [{ id: 'W', resource: 'a@b.c', date: '2026-12-01', from: '08:00' }] }));
  const error = await t.throwsAsync(calendarCli(['import', 'bad.json'], project.dir, db.store));
  t.true(isAppError(error, 'CALENDAR_INVALID_IMPORT'));
  if (!isAppError(error)) return;
  t.is(error.exitCode, 2);
  const problems = error.details.problems as { file: string; pointer: string }[];
  t.true(problems.every((p) => p.file === 'bad.json'));
  t.deepEqual(problems.map((p) => p.pointer).sort(), ['/appointments/0/resource', '/workingDays/0'].sort());
  await writeFile(join(project.dir, 'order.json'), JSON.stringify({ appointments: [{ id: 'A-1', title: 'x', resource: 'a@b.c', start: '2026-12-01T09:00:00+01:00', end: '2026-12-01T08:00:00+01:00' }] }));
  const reversed = await t.throwsAsync(calendarCli(['import', 'order.json'], project.dir, db.store));
  t.true(isAppError(reversed) && (reversed.details.problems as { pointer: string }[])[0]?.pointer === '/appointments/0/end');
});

test('calendar list shows a user\'s stored events in a window, as text and JSON', async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const events = db.store.collection(collectionNames.calendarEvents);
  const base = { user: 'carol@contoso.example', isAllDay: false, showAs: 'busy', location: null, organizer: null, type: 'singleInstance', seriesMasterId: null, isCancelled: false, iCalUId: null, webLink: null, lastModified: null, round: 'r', syncedAt: new Date() };
  await events.insertMany([
    { ...base, _id: 'carol@contoso.example|e1', eventId: 'e1', subject: 'Customer call', start: new Date('2026-12-01T09:00:00Z'), end: new Date('2026-12-01T10:00:00Z') },
    { ...base, _id: 'carol@contoso.example|e2', eventId: 'e2', subject: 'Cancelled call', isCancelled: true, start: new Date('2026-12-02T09:00:00Z'), end: new Date('2026-12-02T10:00:00Z') },
    { ...base, _id: 'carol@contoso.example|e3', eventId: 'e3', subject: 'Later', start: new Date('2027-01-02T09:00:00Z'), end: new Date('2027-01-02T10:00:00Z') },
  ] as never[]);
  const text = await calendarCli(['list', '--user', 'Carol@contoso.example', '--from', '2026-11-30', '--to', '2026-12-31'], process.cwd(), db.store);
  t.regex(text, /2026-12-01 09:00:00 +2026-12-01 10:00:00 +Customer call/);
  t.regex(text, /\[cancelled\] Cancelled call/);
  t.notRegex(text, /Later/);
  const json = JSON.parse(await calendarCli(['list', '--user', 'carol@contoso.example', '--from', '2026-11-30', '--json'], process.cwd(), db.store)) as { subject: string }[];
  t.deepEqual(json.map((e) => e.subject), ['Customer call', 'Cancelled call', 'Later']);
  const bad = await t.throwsAsync(calendarCli(['list', '--user', 'x@y.z', '--from', 'yesterday'], process.cwd(), db.store));
  t.true(isAppError(bad, 'USAGE'));
});
