import test from 'ava';
import { createCalendarReadHandler, listCalendarEvents } from '../../src/calendar/index.ts';
import type { CalendarReadJobConfig } from '../../src/config/job-config.ts';
import { createCallCounter } from '../../src/graph/index.ts';
import { carol, startCalendarWorld } from './helpers/calendar-world.ts';

const dayMs = 86_400_000;
const today = Math.floor(Date.now() / dayMs) * dayMs;
const utc = (days: number, hour: number): { dateTime: string; timeZone: string } =>
  ({ dateTime: new Date(today + days * dayMs + hour * 3_600_000).toISOString().slice(0, 19), timeZone: 'UTC' });
const dateIn = (days: number): string => new Date(today + days * dayMs).toISOString().slice(0, 10);

const job: CalendarReadJobConfig = {
  name: 'my.calendar', type: 'calendar-read', connection: 'test', enabled: true, schedule: '15 minutes', file: 'x',
  users: [carol], daysBack: 7, daysAhead: 30, lookupPrincipalName: false,
};

test('read: the first run reads the window; later runs pick up created, changed, deleted and recurring events through delta', async (t) => {
  const world = await startCalendarWorld();
  t.teardown(() => world.close());
  const graph = world.deps.graphFor('test', createCallCounter());
  const events = `/users/${encodeURIComponent(carol)}/events`;
  const single = await graph.post<{ id: string }>(events, { subject: 'Customer call', start: utc(2, 9), end: utc(2, 10) });
  const allDay = await graph.post<{ id: string }>(events, { subject: 'Trade fair', isAllDay: true, start: { dateTime: `${dateIn(4)}T00:00:00`, timeZone: 'UTC' }, end: { dateTime: `${dateIn(5)}T00:00:00`, timeZone: 'UTC' } });
  const series = await graph.post<{ id: string }>(events, {
    subject: 'Weekly dispatch meeting', start: utc(1, 8), end: utc(1, 9),
    recurrence: { pattern: { type: 'daily', interval: 7 }, range: { type: 'numbered', startDate: dateIn(1), numberOfOccurrences: 3 } },
  });
  await graph.post(events, { subject: 'Far future', start: utc(90, 9), end: utc(90, 10) });

  const handler = createCalendarReadHandler(world.deps);
  const first = await world.run(job, handler);
  t.is(first.status, 'succeeded');
  t.like(first.items[0], { key: carol, outcome: 'succeeded', action: 'full' });
  let stored = await listCalendarEvents(world.db.store, { user: carol, from: new Date(today - 7 * dayMs) });
  t.deepEqual(stored.map((e) => e.subject), ['Weekly dispatch meeting', 'Customer call', 'Trade fair', 'Weekly dispatch meeting', 'Weekly dispatch meeting']);
  const occurrences = stored.filter((e) => e.subject === 'Weekly dispatch meeting');
  t.true(occurrences.every((e) => e.type === 'occurrence' && e.seriesMasterId === series.id));
  t.false(stored.some((e) => e.type === 'seriesMaster'), 'series masters are not stored, their occurrences are');
  t.true(stored.find((e) => e.subject === 'Trade fair')!.isAllDay);
  t.is(stored.find((e) => e.subject === 'Customer call')!.start.toISOString(), new Date(today + 2 * dayMs + 9 * 3_600_000).toISOString());

  // Changes in Outlook: one created, one moved, one deleted, one occurrence of the series cancelled.
  await graph.post(events, { subject: 'New site visit', start: utc(3, 13), end: utc(3, 15) });
  await graph.patch(`${events}/${encodeURIComponent(single.id)}`, { subject: 'Customer call (moved)', start: utc(2, 11), end: utc(2, 12) });
  await graph.delete(`${events}/${encodeURIComponent(allDay.id)}`);
  const second = occurrences[1]!;
  await graph.delete(`${events}/${encodeURIComponent(second.eventId)}`);

  await world.control.resetStats();
  const next = await world.run(job, handler);
  t.like(next.items[0], { key: carol, outcome: 'succeeded', action: 'delta' });
  t.is(next.counts.eventsRemoved, 2);
  // The created and the moved event, plus whatever the emulator reports for the series whose occurrence was cancelled.
  t.true((next.counts.eventsChanged ?? 0) >= 2 && (next.counts.eventsChanged ?? 0) <= 4, JSON.stringify(next.counts));
  const stats = await world.control.stats();
  t.deepEqual(Object.keys(stats.byRoute).filter((r) => !r.includes('oauth2')), ['GET /users/{user}/calendarView/delta']);
  stored = await listCalendarEvents(world.db.store, { user: carol, from: new Date(today - 7 * dayMs) });
  t.deepEqual(stored.map((e) => e.subject), ['Weekly dispatch meeting', 'Customer call (moved)', 'New site visit', 'Weekly dispatch meeting']);
  t.false(stored.some((e) => e.eventId === second.eventId), 'the cancelled occurrence is gone');

  // An unchanged calendar: the delta round brings nothing.
  const quiet = await world.run(job, handler);
  t.like(quiet.counts, { eventsChanged: 0, eventsRemoved: 0 });

  // An expired delta token: the window is read again, and what vanished meanwhile is swept.
  await graph.delete(`${events}/${encodeURIComponent(single.id)}`);
  await world.control.fault({ path: 'calendarView/delta', status: 410, count: 1 });
  const restarted = await world.run(job, handler);
  t.like(restarted.items[0], { action: 'full', outcome: 'succeeded' });
  t.true(restarted.notes.some((n) => n.includes('expired')));
  stored = await listCalendarEvents(world.db.store, { user: carol, from: new Date(today - 7 * dayMs) });
  t.deepEqual(stored.map((e) => e.subject), ['Weekly dispatch meeting', 'New site visit', 'Weekly dispatch meeting']);

  // The list API filters by window.
  const firstWeek = await listCalendarEvents(world.db.store, { user: carol, from: new Date(today), to: new Date(today + 2 * dayMs) });
  t.deepEqual(firstWeek.map((e) => e.subject), ['Weekly dispatch meeting']);
});
