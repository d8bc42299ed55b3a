import test from 'ava';
import { planRoomSync, remoteHash, type RemoteRoomEvent, type RoomSyncAction } from '../../src/calendar/plan-room-sync.ts';
import type { RoomReservation } from '../../src/calendar/room-reservation.ts';

const window = { start: new Date('2026-11-01T00:00:00Z'), end: new Date('2027-05-01T00:00:00Z') };
const t0 = new Date('2026-11-20T10:00:00Z');
const later = new Date('2026-11-21T10:00:00Z');
const latest = new Date('2026-11-22T10:00:00Z');

function event(id: string, subject: string, lastModified = t0, mailroomId: string | null = null, more: Partial<RemoteRoomEvent> = {}): RemoteRoomEvent {
  return {
    eventId: id, subject, start: new Date('2026-12-01T09:00:00Z'), end: new Date('2026-12-01T10:00:00Z'), organizer: null, lastModified, mailroomId,
    iCalUId: null, organizerOwned: false, subjectPlaceholder: false, organizerEventId: null, seriesMasterId: null, ...more,
  };
}

/** The room's copy of a meeting carol organizes (strict mode: its subject is the organizer's name). */
const carolsMeeting = (id: string, subject: string, more: Partial<RemoteRoomEvent> = {}): RemoteRoomEvent =>
  event(id, subject, t0, null, { organizer: 'carol@x', organizerOwned: true, iCalUId: `uid-${id}`, ...more });
const weekly = { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'] }, range: { type: 'noEnd', startDate: '2026-12-01' } };
const carolOwned = { organizer: 'carol@x', organizerOwned: true, source: 'outlook' as const };

/** A reservation in sync with `event(eventId, subject)` unless changed afterwards. */
function reservation(id: string, eventId: string | null, subject: string, changes: Partial<RoomReservation> = {}): RoomReservation {
  const synced = { subject, start: new Date('2026-12-01T09:00:00Z'), end: new Date('2026-12-01T10:00:00Z') };
  return {
    _id: id, room: 'room-1@x', ...synced, organizer: null, source: 'mailroom', externalId: id, version: 1, updatedAt: t0, cancelled: false, eventId,
    sync: { version: eventId === null ? 0 : 1, remoteHash: eventId === null ? null : remoteHash(synced), generation: 0, syncedAt: eventId === null ? null : t0 },
    ...changes,
  };
}

function summary(actions: RoomSyncAction[]): string[] {
  return actions.map((a) => {
    const subject = 'reservation' in a ? a.reservation._id : a.event.eventId;
    const conflict = 'conflict' in a && a.conflict ? ` conflict→${a.conflict.winner}` : '';
    const target = a.kind === 'link' ? ` → ${a.event.eventId}` : '';
    return `${a.kind} ${subject}${a.kind === 'dropLocal' ? ` (${a.reason})` : ''}${'organizer' in a ? ` @${a.organizer}` : ''}${target}${conflict}`;
  });
}

const cases: {
  title: string; reservations: RoomReservation[]; changed?: RemoteRoomEvent[]; deleted?: string[]; complete?: boolean; repairDrift?: boolean;
  delegation?: boolean; createInUserCalendar?: boolean; fullSync?: boolean; seriesSeen?: string[]; expect: string[];
}[] = [
  { title: 'new in Mailroom → create', reservations: [reservation('r1', null, 'Board')], expect: ['create r1'] },
  { title: 'new in Outlook → import', reservations: [], changed: [event('e9', 'Standup')], expect: ['importRemote e9'] },
  { title: 'our event found unlinked (crashed create) → link, no second create', reservations: [reservation('r1', null, 'Board')], changed: [event('e1', 'Board', t0, 'r1')], expect: ['link r1 → e1'] },
  { title: 'changed in Outlook only → apply to Mailroom', reservations: [reservation('r1', 'e1', 'Board')], changed: [event('e1', 'Board (moved)')], expect: ['applyRemote r1'] },
  { title: 'echo of our own write → nothing', reservations: [reservation('r1', 'e1', 'Board')], changed: [event('e1', 'Board')], expect: [] },
  { title: 'changed in Mailroom only → patch', reservations: [reservation('r1', 'e1', 'Board', { subject: 'Board v2', version: 2, updatedAt: later })], expect: ['patch r1'] },
  {
    title: 'both changed, Outlook newer → Outlook wins, conflict', reservations: [reservation('r1', 'e1', 'Board', { subject: 'Board v2', version: 2, updatedAt: later })],
    changed: [event('e1', 'Board (Outlook)', latest)], expect: ['applyRemote r1 conflict→outlook'],
  },
  {
    title: 'both changed, Mailroom newer → Mailroom wins, conflict', reservations: [reservation('r1', 'e1', 'Board', { subject: 'Board v2', version: 2, updatedAt: latest })],
    changed: [event('e1', 'Board (Outlook)', later)], expect: ['patch r1 conflict→mailroom'],
  },
  { title: 'cancelled in Mailroom → delete event', reservations: [reservation('r1', 'e1', 'Board', { cancelled: true, version: 2 })], expect: ['deleteRemote r1'] },
  { title: 'cancelled before it reached Outlook → drop', reservations: [reservation('r1', null, 'Board', { cancelled: true, version: 2 })], expect: ['dropLocal r1 (cancelled)'] },
  { title: 'deleted in Outlook → drop in Mailroom', reservations: [reservation('r1', 'e1', 'Board')], deleted: ['e1'], expect: ['dropLocal r1 (deletedInOutlook)'] },
  {
    title: 'deleted in Outlook, edited in Mailroom → deletion wins, conflict', reservations: [reservation('r1', 'e1', 'Board', { subject: 'v2', version: 2, updatedAt: later })],
    deleted: ['e1'], expect: ['dropLocal r1 (deletedInOutlook) conflict→outlook'],
  },
  { title: 'full round without the event → it is gone', reservations: [reservation('r1', 'e1', 'Board')], complete: true, expect: ['dropLocal r1 (deletedInOutlook)'] },
  { title: 'incremental round without the event → unchanged', reservations: [reservation('r1', 'e1', 'Board')], expect: [] },
  {
    title: 'resync repairs unrecorded drift with Mailroom content', reservations: [reservation('r1', 'e1', 'Board', { subject: 'Board edited in the database' })],
    changed: [event('e1', 'Board')], complete: true, repairDrift: true, expect: ['patch r1'],
  },
  {
    title: 'a user\'s meeting changed in Mailroom, no delegation → reported, not written', delegation: false,
    reservations: [reservation('r1', 'e1', 'Board', { ...carolOwned, subject: 'Board v2', version: 2, updatedAt: later })], expect: ['notWritable r1'],
  },
  {
    title: 'a user\'s meeting changed in Mailroom, delegation → patch the organizer\'s event', delegation: true,
    reservations: [reservation('r1', 'e1', 'Board', { ...carolOwned, subject: 'Board v2', version: 2, updatedAt: later })], expect: ['patchOrganizer r1 @carol@x'],
  },
  {
    title: 'a user\'s meeting cancelled in Mailroom, delegation → cancel through the organizer', delegation: true,
    reservations: [reservation('r1', 'e1', 'Board', { ...carolOwned, cancelled: true, version: 2 })], expect: ['cancelOrganizer r1 @carol@x'],
  },
  {
    title: 'a user\'s meeting cancelled in Mailroom, no delegation → reported', reservations: [reservation('r1', 'e1', 'Board', { ...carolOwned, cancelled: true, version: 2 })],
    expect: ['notWritable r1'],
  },
  {
    title: 'strict mode: the room copy\'s placeholder subject is no change of title', reservations: [reservation('r1', 'e1', 'Board', {
      ...carolOwned, sync: { version: 1, remoteHash: remoteHash({ subject: 'x', start: new Date('2026-12-01T09:00:00Z'), end: new Date('2026-12-01T10:00:00Z'), subjectPlaceholder: true }), generation: 0, syncedAt: t0 },
    })],
    changed: [carolsMeeting('e1', 'Carol Dispatcher', { subjectPlaceholder: true })], expect: [],
  },
  {
    title: 'strict mode: a new time of a user\'s meeting still comes over', reservations: [reservation('r1', 'e1', 'Board', {
      ...carolOwned, sync: { version: 1, remoteHash: remoteHash({ subject: 'x', start: new Date('2026-12-01T09:00:00Z'), end: new Date('2026-12-01T10:00:00Z'), subjectPlaceholder: true }), generation: 0, syncedAt: t0 },
    })],
    changed: [carolsMeeting('e1', 'Carol Dispatcher', { subjectPlaceholder: true, start: new Date('2026-12-01T11:00:00Z'), end: new Date('2026-12-01T12:00:00Z') })], expect: ['applyRemote r1'],
  },
  {
    title: 'create in the organizer\'s calendar when it has an organizer', createInUserCalendar: true,
    reservations: [reservation('r1', null, 'Board', { organizer: 'carol@x' }), reservation('r2', null, 'Nobody\'s')], expect: ['createInUserCalendar r1 @carol@x', 'create r2'],
  },
  {
    title: 'created in the organizer\'s calendar, room copy not there yet → wait, no second create', createInUserCalendar: true,
    reservations: [reservation('r1', null, 'Board', { organizer: 'carol@x', organizerEventId: 'o1', iCalUId: 'uid-e1', organizerOwned: true, sync: { version: 1, remoteHash: null, generation: 0, syncedAt: t0 } })],
    complete: true, expect: [],
  },
  {
    title: 'the room\'s copy appears → linked by iCalUId, not imported', createInUserCalendar: true,
    reservations: [reservation('r1', null, 'Board', { organizer: 'carol@x', organizerEventId: 'o1', iCalUId: 'uid-e1', organizerOwned: true, sync: { version: 1, remoteHash: null, generation: 0, syncedAt: t0 } })],
    changed: [carolsMeeting('e1', 'Carol Dispatcher', { subjectPlaceholder: true })], expect: ['link r1 → e1'],
  },
  {
    title: 'full sync: a recurring reservation is not written (the ongoing sync writes it)', fullSync: true,
    reservations: [reservation('r1', null, 'Weekly', { recurrence: weekly }), reservation('r2', null, 'Once')], expect: ['deferred r1', 'create r2'],
  },
  {
    title: 'full sync: a change of a recurring reservation waits for the ongoing sync too', fullSync: true, complete: true, seriesSeen: ['e1'],
    reservations: [reservation('r1', 'e1', 'Weekly', { recurrence: weekly, subject: 'Weekly v2', version: 2, updatedAt: later })], expect: ['deferred r1'],
  },
  {
    title: 'complete round with an occurrence of the series → it is there', complete: true, seriesSeen: ['e1'],
    reservations: [reservation('r1', 'e1', 'Weekly', { recurrence: weekly })], expect: [],
  },
  {
    title: 'complete round without any occurrence of an endless series → gone', complete: true,
    reservations: [reservation('r1', 'e1', 'Weekly', { recurrence: weekly })], expect: ['dropLocal r1 (deletedInOutlook)'],
  },
  {
    title: 'complete round, series counted by occurrences, none seen → maybe just over: kept', complete: true,
    reservations: [reservation('r1', 'e1', 'Weekly', { recurrence: { ...weekly, range: { type: 'numbered', startDate: '2026-12-01', numberOfOccurrences: 3 } } })], expect: [],
  },
  {
    title: 'a crashed series create seen through its occurrences → linked once', reservations: [reservation('r1', null, 'Weekly', { recurrence: weekly })],
    changed: [event('o1', 'Weekly', t0, 'r1', { seriesMasterId: 'm1' }), event('o2', 'Weekly', t0, 'r1', { seriesMasterId: 'm1' })], expect: ['link r1 → m1'],
  },
];

for (const c of cases) {
  test(`planRoomSync: ${c.title}`, (t) => {
    const actions = planRoomSync({
      reservations: c.reservations, changed: c.changed ?? [], deleted: new Set(c.deleted ?? []), complete: c.complete ?? false, window, repairDrift: c.repairDrift ?? false,
      delegation: c.delegation ?? false, createInUserCalendar: c.createInUserCalendar ?? false, fullSync: c.fullSync ?? false, seriesSeen: new Set(c.seriesSeen ?? []),
    });
    t.deepEqual(summary(actions), c.expect);
  });
}
