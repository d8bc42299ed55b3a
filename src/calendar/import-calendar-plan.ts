import { AppError, type Clock } from '../core/index.ts';
import { formatProblem, type ConfigProblem } from '../config/config-problem.ts';
import { readJsonFile } from '../config/read-json-file.ts';
import { validateWithSchema } from '../config/schema-registry.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import { createPlanStore, type UpsertSummary } from './create-plan-store.ts';
import { createReservationStore } from './create-reservation-store.ts';
import { plannedItemKey, type PlannedItemInput, type PlannedItemKind } from './planned-item.ts';
import { reservationIdFor, type ReservationInput, type RoomRecurrence, type RoomReservation } from './room-reservation.ts';

interface ImportDocument {
  appointments?: { id: string; title: string; resource?: string; start?: string; end?: string; customer?: string; address?: string; phone?: string; notes?: string }[];
  unavailabilities?: { id: string; resource: string; start: string; end: string; reason?: string }[];
  workingDays?: { id: string; resource: string; date: string; from?: string; to?: string; note?: string }[];
  roomReservations?: { id: string; room: string; subject: string; start: string; end: string; organizer?: string; recurrence?: RoomRecurrence }[];
}

export interface CalendarImport {
  items: PlannedItemInput[];
  /** Kinds whose section the file has: a full import removes missing items of these kinds only. */
  kinds: PlannedItemKind[];
  reservations: ReservationInput[] | null;
}

export interface CalendarImportSummary {
  file: string;
  items: UpsertSummary & { removed: number };
  reservations: (UpsertSummary & { cancelled: number }) | null;
}

function checkSections(doc: ImportDocument, file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const check = (section: keyof ImportDocument, rows: { id: string; start?: string; end?: string; from?: string; to?: string }[] | undefined): void => {
    const seen = new Map<string, number>();
    rows?.forEach((row, index) => {
      const pointer = `/${section}/${index}`;
      const first = seen.get(row.id);
      if (first !== undefined) problems.push({ file, pointer: `${pointer}/id`, message: `id "${row.id}" is also used at /${section}/${first}` });
      seen.set(row.id, index);
      if ((row.start === undefined) !== (row.end === undefined)) problems.push({ file, pointer, message: 'give both start and end, or neither' });
      if (row.start !== undefined && row.end !== undefined && Date.parse(row.end) <= Date.parse(row.start)) problems.push({ file, pointer: `${pointer}/end`, message: 'end must be after start' });
      if (row.from !== undefined && row.to !== undefined && row.to <= row.from) problems.push({ file, pointer: `${pointer}/to`, message: 'to must be after from' });
    });
  };
  check('appointments', doc.appointments);
  check('unavailabilities', doc.unavailabilities);
  check('workingDays', doc.workingDays);
  check('roomReservations', doc.roomReservations);
  return problems;
}

/** Reads and validates an import file; every problem is reported with file and JSON pointer. Throws CALENDAR_INVALID_IMPORT. */
export async function readCalendarImport(file: string, displayName = file): Promise<CalendarImport> {
  const read = await readJsonFile(file);
  const problems = read.ok ? validateWithSchema('calendar-import.schema.json', read.value, displayName) : [{ ...read.problem, file: displayName }];
  const doc = (read.ok ? read.value : {}) as ImportDocument;
  if (problems.length === 0) problems.push(...checkSections(doc, displayName));
  if (problems.length > 0) {
    throw new AppError('CALENDAR_INVALID_IMPORT', `invalid calendar import (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${problems.map(formatProblem).join('\n  ')}`, {
      details: { problems },
      hint: 'Fix the file; its format is src/config/schemas/calendar-import.schema.json.',
    });
  }
  const date = (value: string | undefined): Date | null => (value === undefined ? null : new Date(value));
  const items: PlannedItemInput[] = [];
  for (const a of doc.appointments ?? []) {
    items.push({
      kind: 'appointment', externalId: a.id, title: a.title, resource: a.resource ?? null, start: date(a.start), end: date(a.end),
      ...(a.customer === undefined ? {} : { customer: a.customer }), ...(a.address === undefined ? {} : { address: a.address }),
      ...(a.phone === undefined ? {} : { phone: a.phone }), ...(a.notes === undefined ? {} : { notes: a.notes }),
    });
  }
  for (const u of doc.unavailabilities ?? []) {
    items.push({ kind: 'unavailability', externalId: u.id, resource: u.resource, start: new Date(u.start), end: new Date(u.end), ...(u.reason === undefined ? {} : { reason: u.reason }) });
  }
  for (const w of doc.workingDays ?? []) {
    items.push({
      kind: 'workingDay', externalId: w.id, resource: w.resource, date: w.date,
      ...(w.from === undefined ? {} : { from: w.from, to: w.to! }), ...(w.note === undefined ? {} : { note: w.note }),
    });
  }
  const kinds: PlannedItemKind[] = [];
  if (doc.appointments) kinds.push('appointment');
  if (doc.unavailabilities) kinds.push('unavailability');
  if (doc.workingDays) kinds.push('workingDay');
  const reservations = doc.roomReservations
    ? doc.roomReservations.map((r) => ({ externalId: r.id, room: r.room, subject: r.subject, start: new Date(r.start), end: new Date(r.end), organizer: r.organizer ?? null, ...(r.recurrence ? { recurrence: r.recurrence } : {}) }))
    : null;
  return { items, kinds, reservations };
}

/**
 * `mailroom calendar import`: upsert by external id; with `full`, items (of the sections the file has) that the
 * file no longer lists are removed, and Mailroom-made reservations it no longer lists are cancelled.
 */
export async function importCalendarPlan(store: Store, file: string, options: { full: boolean; clock: Clock; displayName?: string }): Promise<CalendarImportSummary> {
  const parsed = await readCalendarImport(file, options.displayName ?? file);
  const plans = createPlanStore(store, options.clock);
  const upserted = await plans.upsertItems(parsed.items);
  let removed = 0;
  if (options.full && parsed.kinds.length > 0) {
    const keep = new Set(parsed.items.map((i) => plannedItemKey(i.kind, i.externalId)));
    const stale = (await plans.listItems({ kinds: parsed.kinds })).map((i) => i._id).filter((id) => !keep.has(id));
    removed = await plans.removeItems(stale);
  }
  let reservations: CalendarImportSummary['reservations'] = null;
  if (parsed.reservations) {
    const rooms = createReservationStore(store, options.clock);
    const summary = await rooms.upsertReservations(parsed.reservations);
    let cancelled = 0;
    if (options.full) {
      const keep = new Set(parsed.reservations.map((r) => reservationIdFor(r.externalId)));
      const collection = store.collection<RoomReservation>(collectionNames.roomReservations);
      const stale = await withStoreErrors('list reservations', () => collection.find({ source: 'mailroom', cancelled: false }, { projection: { _id: 1 } }).toArray());
      cancelled = await rooms.cancelReservations(stale.map((r) => r._id).filter((id) => !keep.has(id)));
    }
    reservations = { ...summary, cancelled };
  }
  return { file: options.displayName ?? file, items: { ...upserted, removed }, reservations };
}
