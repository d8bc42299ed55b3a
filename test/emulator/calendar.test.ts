import test from 'ava';
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { type TestEmulator, startAppClient } from './helpers/trusted-clients.ts';

// Calendar, extended properties and places (graph-behaviour.md §5; checklist 12, 13).
const PROPERTY = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name ExternalId';
let emulator: TestEmulator;
let client: Client;

test.before(async () => {
  ({ emulator, client } = await startAppClient());
});
test.after.always(async () => {
  await emulator.stop();
});

interface GraphEvent {
  id: string;
  subject: string;
  type: string;
  start: { dateTime: string; timeZone: string };
  end: { dateTime: string; timeZone: string };
  seriesMasterId: string | null;
  transactionId: string | null;
  singleValueExtendedProperties?: { id: string; value: string }[];
}

const event = (subject: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  subject,
  start: { dateTime: '2026-05-04T10:00:00', timeZone: 'W. Europe Standard Time' },
  end: { dateTime: '2026-05-04T11:00:00', timeZone: 'W. Europe Standard Time' },
  ...extra,
});

test('checklist 12: /events lists series masters, not occurrences; calendarView expands them; dateTime has no Z and 7 fractional digits', async (t) => {
  const events = (await client.api('/users/alice@contoso.example/events').top(50).get()) as { value: GraphEvent[] };
  t.true(events.value.some((e) => e.type === 'seriesMaster' && e.subject === 'Support stand-up'));
  t.false(events.value.some((e) => e.type === 'occurrence'));
  const view = (await client.api('/users/alice@contoso.example/calendarView').query({ startDateTime: '2026-03-09T00:00:00Z', endDateTime: '2026-03-16T00:00:00Z' }).top(50).get()) as { value: GraphEvent[] };
  const standups = view.value.filter((e) => e.subject === 'Support stand-up');
  t.is(standups.length, 3, 'Monday, Wednesday and Friday');
  t.true(standups.every((e) => e.type === 'occurrence' && e.seriesMasterId !== null));
  t.false(view.value.some((e) => e.type === 'seriesMaster'));
  // 09:00 Berlin in March (UTC+1) is 08:00 UTC.
  t.deepEqual(standups[0]?.start, { dateTime: '2026-03-09T08:00:00.0000000', timeZone: 'UTC' });
  const missing = (await t.throwsAsync(client.api('/users/alice@contoso.example/calendarView').get())) as unknown as { statusCode: number };
  t.is(missing.statusCode, 400);
});

test('checklist 12: Prefer outlook.timezone converts start and end and is acknowledged in Preference-Applied; all-day events keep their dates', async (t) => {
  const raw = (await client.api('/users/alice@contoso.example/calendarView').query({ startDateTime: '2026-03-10T00:00:00Z', endDateTime: '2026-03-11T00:00:00Z' })
    .header('Prefer', 'outlook.timezone="Pacific Standard Time"').responseType(ResponseType.RAW).get()) as Response;
  t.is(raw.headers.get('preference-applied'), 'outlook.timezone="Pacific Standard Time"');
  const body = (await raw.json()) as { value: GraphEvent[] };
  const call = body.value.find((e) => e.subject === 'Customer call: Fabrikam escalation');
  // 14:00 UTC on 10 March 2026 is 07:00 PDT (DST began on 8 March).
  t.deepEqual(call?.start, { dateTime: '2026-03-10T07:00:00.0000000', timeZone: 'Pacific Standard Time' });
  const holiday = (await client.api('/users/bob@contoso.example/calendarView').query({ startDateTime: '2026-04-06T00:00:00Z', endDateTime: '2026-04-08T00:00:00Z' })
    .header('Prefer', 'outlook.timezone="Pacific Standard Time"').get()) as { value: (GraphEvent & { isAllDay: boolean })[] };
  const urlaub = holiday.value.find((e) => e.isAllDay);
  t.is(urlaub?.start.dateTime, '2026-04-06T00:00:00.0000000');
});

test('checklist 12: a repeated create with the same transactionId returns the first event (201) instead of a duplicate', async (t) => {
  const first = (await client.api('/users/carol@contoso.example/events').responseType(ResponseType.RAW).post(event('Idempotent', { transactionId: 'mailroom-tx-1' }))) as Response;
  t.is(first.status, 201);
  const firstBody = (await first.json()) as GraphEvent;
  const second = (await client.api('/users/carol@contoso.example/events').post(event('Idempotent', { transactionId: 'mailroom-tx-1' }))) as GraphEvent;
  t.is(second.id, firstBody.id);
  t.is(second.transactionId, 'mailroom-tx-1');
  const control = (await (await emulator.fetch(`${emulator.url}/_emulator/mailboxes/carol@contoso.example/events`)).json()) as { value: { subject: string }[] };
  t.is(control.value.filter((e) => e.subject === 'Idempotent').length, 1);
});

test('checklist 13: extended properties only with $expand, findable with Any(ep: …) whose value match ignores case', async (t) => {
  const created = (await client.api('/users/alice@contoso.example/calendars').post({ name: `Tagged ${Date.now()}` })) as { id: string };
  const tagged = (await client.api(`/users/alice@contoso.example/calendars/${created.id}/events`).post(event('Tagged', { singleValueExtendedProperties: [{ id: PROPERTY, value: 'ticket-4711' }] }))) as GraphEvent;
  t.false('singleValueExtendedProperties' in tagged);
  const plain = (await client.api(`/users/alice@contoso.example/events/${tagged.id}`).get()) as GraphEvent;
  t.false('singleValueExtendedProperties' in plain);
  const expanded = (await client.api(`/users/alice@contoso.example/events/${tagged.id}`).expand(`singleValueExtendedProperties($filter=id eq '${PROPERTY}')`).get()) as GraphEvent;
  t.deepEqual(expanded.singleValueExtendedProperties, [{ id: PROPERTY, value: 'ticket-4711' }]);
  const found = (await client.api(`/users/alice@contoso.example/calendars/${created.id}/events`)
    .filter(`singleValueExtendedProperties/Any(ep: ep/id eq '${PROPERTY}' and ep/value eq 'TICKET-4711')`).get()) as { value: GraphEvent[] };
  t.deepEqual(found.value.map((e) => e.id), [tagged.id]);
  const wrongName = (await client.api(`/users/alice@contoso.example/calendars/${created.id}/events`)
    .filter(`singleValueExtendedProperties/Any(ep: ep/id eq '${PROPERTY.replace('ExternalId', 'externalid')}' and ep/value eq 'ticket-4711')`).get()) as { value: GraphEvent[] };
  t.deepEqual(wrongName.value, [], 'the Name part of the id is case-sensitive');
  const events = (await (await emulator.fetch(`${emulator.url}/_emulator/mailboxes/alice@contoso.example/events`)).json()) as { value: { id: string; singleValueExtendedProperties: unknown[] }[] };
  t.deepEqual(events.value.find((e) => e.id === tagged.id)?.singleValueExtendedProperties, [{ id: PROPERTY, value: 'ticket-4711' }]);
});

test('checklist 12: calendarView delta refuses $select, pages by maxpagesize, and reports updates and deletions with @removed', async (t) => {
  const calendar = (await client.api('/users/bob@contoso.example/calendars').post({ name: `Delta ${Date.now()}` })) as { id: string };
  const base = `/users/bob@contoso.example/calendars/${calendar.id}/calendarView/delta`;
  const window = { startDateTime: '2026-05-01T00:00:00Z', endDateTime: '2026-06-01T00:00:00Z' };
  const selected = (await t.throwsAsync(client.api(base).query({ ...window, $select: 'subject' }).get())) as unknown as { statusCode: number };
  t.is(selected.statusCode, 400);
  const keep = (await client.api(`/users/bob@contoso.example/calendars/${calendar.id}/events`).post(event('Keep'))) as GraphEvent;
  const drop = (await client.api(`/users/bob@contoso.example/calendars/${calendar.id}/events`).post(event('Drop'))) as GraphEvent;
  await client.api(`/users/bob@contoso.example/calendars/${calendar.id}/events`).post(event('Weekly', {
    recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] }, range: { type: 'numbered', startDate: '2026-05-04', numberOfOccurrences: 3 } },
  }));
  const seen: Record<string, unknown>[] = [];
  let page = (await client.api(base).query(window).header('Prefer', 'odata.maxpagesize=2').get()) as { value: Record<string, unknown>[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };
  seen.push(...page.value);
  while (page['@odata.nextLink'] !== undefined) {
    t.true(page.value.length <= 2);
    page = (await client.api(page['@odata.nextLink']).get()) as typeof page;
    seen.push(...page.value);
  }
  t.is(seen.length, 5, 'two singles and three occurrences');
  t.is(seen.filter((e) => e.type === 'occurrence').length, 3);
  await client.api(`/users/bob@contoso.example/events/${keep.id}`).patch({ subject: 'Kept' });
  await client.api(`/users/bob@contoso.example/events/${drop.id}`).delete();
  const changes = (await client.api(page['@odata.deltaLink'] ?? '').get()) as { value: Record<string, unknown>[] };
  t.deepEqual(changes.value.find((e) => e.id === keep.id)?.subject, 'Kept');
  t.deepEqual(changes.value.find((e) => e.id === drop.id)?.['@removed'], { reason: 'deleted' });
  t.is(changes.value.length, 2);
});

test('an occurrence can be changed (becoming an exception) or cancelled; instances lists the series', async (t) => {
  const master = (await client.api('/users/carol@contoso.example/events').post(event('Daily check', {
    recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'endDate', startDate: '2026-06-01', endDate: '2026-06-05' } },
  }))) as GraphEvent;
  const instances = (await client.api(`/users/carol@contoso.example/events/${master.id}/instances`).query({ startDateTime: '2026-06-01T00:00:00Z', endDateTime: '2026-06-10T00:00:00Z' }).get()) as { value: GraphEvent[] };
  t.is(instances.value.length, 5);
  const [first, second] = instances.value;
  await client.api(`/users/carol@contoso.example/events/${first?.id ?? ''}`).patch({ subject: 'Daily check (moved)' });
  await client.api(`/users/carol@contoso.example/events/${second?.id ?? ''}`).delete();
  const after = (await client.api(`/users/carol@contoso.example/events/${master.id}/instances`).query({ startDateTime: '2026-06-01T00:00:00Z', endDateTime: '2026-06-10T00:00:00Z' }).get()) as { value: GraphEvent[] };
  t.is(after.value.length, 4);
  t.is(after.value[0]?.type, 'exception');
  t.is(after.value[0]?.subject, 'Daily check (moved)');
});

test('places: rooms, room lists and a list\'s rooms; a room mailbox has a calendar', async (t) => {
  const rooms = (await client.api('/places/microsoft.graph.room').get()) as { value: { emailAddress: string; capacity: number; '@odata.type': string }[] };
  t.deepEqual(rooms.value.map((r) => r.emailAddress), ['room-1@contoso.example', 'room-2@contoso.example']);
  t.is(rooms.value[0]?.['@odata.type'], '#microsoft.graph.room');
  const lists = (await client.api('/places/microsoft.graph.roomlist').get()) as { value: { emailAddress: string }[] };
  t.deepEqual(lists.value.map((l) => l.emailAddress), ['rooms-hq@contoso.example']);
  const members = (await client.api('/places/rooms-hq@contoso.example/microsoft.graph.roomlist/rooms').get()) as { value: unknown[] };
  t.is(members.value.length, 2);
  const booked = (await client.api('/users/room-2@contoso.example/calendar/events').post(event('Booked room'))) as GraphEvent;
  t.is(booked.subject, 'Booked room');
});
