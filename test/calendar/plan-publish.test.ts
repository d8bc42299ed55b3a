import test from 'ava';
import { buildDesiredEvent, type DesiredEvent } from '../../src/calendar/build-desired-event.ts';
import { planPublish, publishTransactionId, type OwnedEvent, type PublishAction, type PublishState } from '../../src/calendar/plan-publish.ts';
import type { PlannedItem } from '../../src/calendar/planned-item.ts';

const tz = 'Europe/Berlin';
const cutoff = new Date('2026-01-01T00:00:00Z');

function appointment(id: string, resource: string | null, start: string, version = 1): PlannedItem {
  return {
    _id: `appointment:${id}`, kind: 'appointment', externalId: id, resource, version, updatedAt: new Date(0), title: `Job ${id}`,
    start: new Date(start), end: new Date(Date.parse(start) + 3_600_000), customer: 'Müller GmbH',
  };
}

function desired(item: PlannedItem): DesiredEvent {
  const d = buildDesiredEvent(item, tz);
  if (!d) throw new Error('expected an event');
  return d;
}

function owned(eventId: string, d: DesiredEvent, hash: string | null = d.hash): OwnedEvent {
  return { eventId, itemKey: d.itemKey, hash, endsAt: d.endsAt };
}

/** The plan without bodies, for readable expectations. */
function summary(actions: PublishAction[]): string[] {
  return actions.map((a) => {
    if (a.kind === 'delete') return `delete ${a.resource} ${a.itemKey} ${a.eventId} (${a.reason})`;
    if (a.kind === 'update') return `update ${a.resource} ${a.itemKey} ${a.eventId}`;
    return `create ${a.resource} ${a.itemKey} g${a.generation}${a.movedFrom ? ` from ${a.movedFrom}` : ''}`;
  });
}

const a1 = desired(appointment('1', 'alice', '2026-12-01T09:00:00+01:00'));
const a1moved = desired(appointment('1', 'alice', '2026-12-01T11:00:00+01:00', 2));
const a1bob = desired(appointment('1', 'bob', '2026-12-01T09:00:00+01:00', 2));
const old = desired(appointment('old', 'alice', '2025-06-01T09:00:00+02:00'));

const cases: { title: string; resources: string[]; desired: DesiredEvent[]; existing: Record<string, OwnedEvent[]>; state?: PublishState[]; expect: string[] }[] = [
  { title: 'new item → create', resources: ['alice'], desired: [a1], existing: {}, expect: ['create alice appointment:1 g0'] },
  { title: 'unchanged → nothing', resources: ['alice'], desired: [a1], existing: { alice: [owned('e1', a1)] }, expect: [] },
  { title: 'moved in time, same resource → update', resources: ['alice'], desired: [a1moved], existing: { alice: [owned('e1', a1)] }, expect: ['update alice appointment:1 e1'] },
  {
    title: 'moved to another resource → delete on old, create on new', resources: ['alice', 'bob'], desired: [a1bob], existing: { alice: [owned('e1', a1)] },
    expect: ['delete alice appointment:1 e1 (moved)', 'create bob appointment:1 g0 from alice'],
  },
  { title: 'removed → delete', resources: ['alice'], desired: [], existing: { alice: [owned('e1', a1)] }, expect: ['delete alice appointment:1 e1 (removed)'] },
  { title: 'event without our hash → update', resources: ['alice'], desired: [a1], existing: { alice: [owned('e1', a1, null)] }, expect: ['update alice appointment:1 e1'] },
  {
    title: 'duplicates of one item → keep the right one, delete the rest', resources: ['alice'], desired: [a1],
    existing: { alice: [owned('e1', a1, 'stale'), owned('e2', a1), owned('e3', a1)] },
    expect: ['delete alice appointment:1 e1 (duplicate)', 'delete alice appointment:1 e3 (duplicate)'],
  },
  {
    title: 'deleted by hand → re-create with the next generation', resources: ['alice'], desired: [a1], existing: { alice: [] },
    state: [{ resource: 'alice', itemKey: a1.itemKey, eventId: 'e1', generation: 0 }], expect: ['create alice appointment:1 g1'],
  },
  {
    title: 'create in flight (no event id recorded) → same generation', resources: ['alice'], desired: [a1], existing: {},
    state: [{ resource: 'alice', itemKey: a1.itemKey, eventId: null, generation: 2 }], expect: ['create alice appointment:1 g2'],
  },
  { title: 'inactive resource (not in scope) → nothing', resources: ['bob'], desired: [a1], existing: { alice: [owned('e9', a1, 'x')] }, expect: [] },
  { title: 'items before the cut-off → ignored', resources: ['alice'], desired: [old], existing: {}, expect: [] },
  { title: 'events before the cut-off → never deleted', resources: ['alice'], desired: [], existing: { alice: [owned('e1', old)] }, expect: [] },
];

for (const c of cases) {
  test(`planPublish: ${c.title}`, (t) => {
    const actions = planPublish({ resources: c.resources, desired: c.desired, existing: new Map(Object.entries(c.existing)), state: c.state ?? [], cutoff });
    t.deepEqual(summary(actions), c.expect);
  });
}

test('transactionId is deterministic and differs by version and generation', (t) => {
  const [create] = planPublish({ resources: ['alice'], desired: [a1], existing: new Map(), state: [], cutoff });
  t.is(create?.kind === 'create' ? create.transactionId : '', publishTransactionId('alice', 'appointment:1', 1, 0));
  const ids = new Set([publishTransactionId('alice', 'k', 1, 0), publishTransactionId('alice', 'k', 2, 0), publishTransactionId('alice', 'k', 1, 1), publishTransactionId('bob', 'k', 1, 0)]);
  t.is(ids.size, 4);
});

test('event content: appointment in the job zone, working day all-day, unavailability out of office', (t) => {
  const a = desired(appointment('7', 'alice', '2026-07-01T07:00:00Z'));
  t.deepEqual(a.content.start, { dateTime: '2026-07-01T09:00:00', timeZone: tz });
  t.is(a.content.subject, 'Job 7 – Müller GmbH');
  t.is(a.content.showAs, 'busy');
  const w = desired({ _id: 'workingDay:w', kind: 'workingDay', externalId: 'w', resource: 'bob', version: 1, updatedAt: new Date(0), date: '2026-12-31' });
  t.true(w.content.isAllDay);
  t.deepEqual([w.content.start.dateTime, w.content.end.dateTime], ['2026-12-31T00:00:00', '2027-01-01T00:00:00']);
  const u = desired({ _id: 'unavailability:u', kind: 'unavailability', externalId: 'u', resource: 'bob', version: 1, updatedAt: new Date(0), start: new Date('2026-03-29T00:30:00Z'), end: new Date('2026-03-29T02:30:00Z'), reason: 'Doctor' });
  // Across the DST switch in Berlin (02:00 → 03:00 on 2026-03-29).
  t.deepEqual([u.content.start.dateTime, u.content.end.dateTime], ['2026-03-29T01:30:00', '2026-03-29T04:30:00']);
  t.is(u.content.showAs, 'oof');
  t.is(buildDesiredEvent(appointment('x', null, '2026-07-01T07:00:00Z'), tz), null);
});

test('content hash changes with content and time zone only', (t) => {
  const item = appointment('1', 'alice', '2026-12-01T09:00:00+01:00');
  t.is(desired(item).hash, desired({ ...item, version: 5, updatedAt: new Date() }).hash);
  t.not(desired(item).hash, buildDesiredEvent(item, 'Europe/London')?.hash);
});
