import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenProvider } from '../../../src/auth/index.ts';
import type { CalendarHandlerDeps } from '../../../src/calendar/index.ts';
import type { ConnectionConfig } from '../../../src/config/connection-config.ts';
import { startEmulator, type RunningEmulator, type TenantDefinition } from '../../../src/emulator/index.ts';
import { createGraphClient, type GraphCallCounter, type GraphClient } from '../../../src/graph/index.ts';
import { createJobResults, runJob, type JobHandler, type JobResults, type JobRunRecord } from '../../../src/jobs/index.ts';
import { createSilentLogger } from '../../../src/log/index.ts';
import { startTestDatabase, type TestDatabase } from '../../../src/store/index.ts';
import { emulatorClient } from '../../helpers/emulator-client.ts';

export const tenantId = '3c1d9a0e-5b7f-4e2a-8d6c-0a1b2c3d4e5f';
export const clientId = '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a0f9';
export const secretValue = 'calendar~test.secret_0123456789abcdefghijkl';
export const alice = 'alice@contoso.example';
export const bob = 'bob@contoso.example';
export const carol = 'carol@contoso.example';
export const room1 = 'room-1@contoso.example';
export const room2 = 'room-2@contoso.example';

function user(id: string, upn: string, name: string): TenantDefinition['users'][number] {
  return { id, userPrincipalName: upn, mail: upn, displayName: name, mailbox: {}, calendars: [{ name: 'Calendar', isDefault: true }] };
}

export function calendarTenant(): TenantDefinition {
  return {
    tenantId,
    displayName: 'Contoso (calendar test)',
    domains: ['contoso.example'],
    applications: [{
      clientId,
      displayName: 'Mailroom calendar test',
      secrets: [{ id: '22222222-0000-4000-8000-000000000002', value: secretValue, expires: '2099-01-01T00:00:00Z' }],
      applicationPermissions: ['Calendars.ReadWrite', 'Place.Read.All', 'User.Read.All'],
      adminConsent: true,
    }],
    users: [
      user('a11ce000-0000-4000-8000-000000000001', alice, 'Alice Technician'),
      user('b0b00000-0000-4000-8000-000000000002', bob, 'Bob Technician'),
      user('ca201000-0000-4000-8000-000000000003', carol, 'Carol Dispatcher'),
    ],
    rooms: [
      { id: 'f0000001-0000-4000-8000-000000000001', emailAddress: room1, displayName: 'Room 1 (Berlin)', capacity: 8, building: 'HQ', floorNumber: 1, bookingType: 'standard' },
      { id: 'f0000002-0000-4000-8000-000000000002', emailAddress: room2, displayName: 'Room 2 (Berlin)', capacity: 20, building: 'HQ', floorNumber: 2, bookingType: 'standard' },
    ],
    roomLists: [{ id: 'f1000001-0000-4000-8000-000000000001', emailAddress: 'rooms-berlin@contoso.example', displayName: 'Berlin rooms', rooms: [room1, room2] }],
  };
}

/** A Graph client factory for the emulator, as the composition root builds one per connection. */
export function graphForEmulator(emulator: Pick<RunningEmulator, 'url' | 'caFile'>): (name: string, counter: GraphCallCounter) => GraphClient {
  const logger = createSilentLogger();
  const connection: ConnectionConfig = {
    name: 'test', tenantId, clientId, cloud: 'emulator',
    credential: { clientSecret: { env: 'CALENDAR_TEST_SECRET' } },
    authorityHost: emulator.url, graphBaseUrl: `${emulator.url}/v1.0`, caFile: emulator.caFile,
  };
  const client = createGraphClient(connection, {
    tokenProvider: createTokenProvider(connection, { env: { CALENDAR_TEST_SECRET: secretValue }, baseDir: process.cwd(), logger }),
    logger, baseDir: process.cwd(), retryBaseDelayMs: 10,
  });
  return (_name, counter) => client.withCounter(counter);
}

export interface CalendarWorld {
  emulator: RunningEmulator;
  control: ReturnType<typeof emulatorClient>;
  db: TestDatabase;
  results: JobResults;
  deps: CalendarHandlerDeps;
  /** Runs one job through the real runner, as the scheduler would. */
  run<J extends { name: string; type: string }>(job: J, handler: JobHandler<J>, signal?: AbortSignal): Promise<JobRunRecord>;
  close(): Promise<void>;
}

/** An emulated tenant over HTTPS and a throw-away database, wired like production (no mocks). */
export async function startCalendarWorld(clock: () => Date = () => new Date()): Promise<CalendarWorld> {
  const stateDir = await mkdtemp(join(tmpdir(), 'mailroom-calendar-emulator-'));
  const emulator = await startEmulator({ port: 0, stateDir, tenant: calendarTenant() });
  const db = await startTestDatabase();
  const logger = createSilentLogger();
  const graphFor = graphForEmulator(emulator);
  const results = createJobResults(db.store, clock);
  return {
    emulator, control: emulatorClient(emulator), db, results,
    deps: { store: db.store, graphFor, clock, logger },
    run: (job, handler, signal) => runJob(job, handler, { results, logger, ...(signal ? { signal } : {}) }),
    close: async () => {
      await db.drop();
      await emulator.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
