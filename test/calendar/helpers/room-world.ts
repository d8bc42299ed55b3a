import type { RoomReservation } from '../../../src/calendar/index.ts';
import { createReservationStore, createRoomSyncHandler } from '../../../src/calendar/index.ts';
import type { RoomSyncJobConfig } from '../../../src/config/job-config.ts';
import { createCallCounter, type GraphClient } from '../../../src/graph/index.ts';
import type { JobRunRecord } from '../../../src/jobs/index.ts';
import { collectionNames } from '../../../src/store/index.ts';
import { room1, startCalendarWorld, type CalendarWorld } from './calendar-world.ts';

const dayMs = 86_400_000;
const hourMs = 3_600_000;
const today = Math.floor(Date.now() / dayMs) * dayMs;
/** A time `days` from today at `hour` UTC. */
export const at = (days: number, hour: number): Date => new Date(today + days * dayMs + hour * hourMs);
export const utc = (date: Date): { dateTime: string; timeZone: string } => ({ dateTime: date.toISOString().slice(0, 19), timeZone: 'UTC' });

export type RoomOptions = Pick<RoomSyncJobConfig, 'enableUserCalendarDelegation' | 'userCalendarStrictMode' | 'createUserCalendarReservations'>;

export function roomJob(options: RoomOptions = {}): RoomSyncJobConfig {
  return {
    name: 'rooms', type: 'room-sync', connection: 'test', enabled: true, schedule: '10 minutes', file: 'x',
    roomList: 'rooms-berlin@contoso.example', timeZone: 'Europe/Berlin', daysBack: 7, daysAhead: 60, ...options,
  };
}

export interface RoomWorld extends CalendarWorld {
  graph: GraphClient;
  reservations: ReturnType<typeof createReservationStore>;
  byId(id: string): Promise<RoomReservation | null>;
  /** One scheduled room-sync run with these options. */
  sync(options?: RoomOptions): Promise<JobRunRecord>;
  /** A user books a room in Outlook: a meeting in the user's calendar with the room as resource attendee. */
  book(user: string, subject: string, start: Date, end: Date, room?: string): Promise<{ id: string; iCalUId: string }>;
}

/** The calendar world plus what the room-sync tests do over and over. */
export async function startRoomWorld(clock: () => Date = () => new Date()): Promise<RoomWorld> {
  const world = await startCalendarWorld(clock);
  const graph = world.deps.graphFor('test', createCallCounter());
  const collection = world.db.store.collection<RoomReservation>(collectionNames.roomReservations);
  return {
    ...world, graph,
    reservations: createReservationStore(world.db.store, clock),
    byId: (id) => collection.findOne({ _id: id }),
    sync: (options = {}) => world.run(roomJob(options), createRoomSyncHandler(world.deps)),
    book: (user, subject, start, end, room = room1) => graph.post(`/users/${encodeURIComponent(user)}/events`, {
      subject, start: utc(start), end: utc(end), attendees: [{ type: 'resource', emailAddress: { address: room } }],
    }),
  };
}
