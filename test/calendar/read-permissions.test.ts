import { randomBytes } from 'node:crypto';
import test from 'ava';
import { createMongoTokenCacheStore, createTokenProvider, signInWithDeviceCode } from '../../src/auth/index.ts';
import { createCalendarReadHandler, listCalendarEvents } from '../../src/calendar/index.ts';
import type { ConnectionConfig } from '../../src/config/connection-config.ts';
import type { CalendarReadJobConfig } from '../../src/config/job-config.ts';
import { createGraphClient, type GraphCallCounter, type GraphClient } from '../../src/graph/index.ts';
import { createJobResults, runJob } from '../../src/jobs/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import { ids, startTestEmulator } from '../graph/emulator-tenant.ts';

const logger = createSilentLogger();
const dayMs = 86_400_000;
const soon = new Date(Math.floor(Date.now() / dayMs) * dayMs + 2 * dayMs + 9 * 3_600_000).toISOString().slice(0, 19);
const job = (name: string, users: string[]): CalendarReadJobConfig => ({
  name, type: 'calendar-read', connection: 'x', enabled: true, schedule: '15 minutes', file: 'x', users, daysBack: 7, daysAhead: 30, lookupPrincipalName: false,
});

test('read works with the application permission Calendars.Read alone and with a person\'s delegated sign-in', async (t) => {
  const [emu, db] = await Promise.all([startTestEmulator({ deviceCodeIntervalSeconds: 1 }), startTestDatabase()]);
  t.teardown(async () => { await emu.close(); await db.drop(); });
  const key = randomBytes(32).toString('base64');
  const env = { ...emu.env, CALENDAR_ONLY: 'calendar-secret', MAILROOM_ENCRYPTION_KEY: key };
  const tokenStore = createMongoTokenCacheStore(db.store);
  const clientFor = (connection: ConnectionConfig): GraphClient =>
    createGraphClient(connection, { tokenProvider: createTokenProvider(connection, { env, baseDir: emu.dir, logger, store: tokenStore }), logger, baseDir: emu.dir, retryBaseDelayMs: 10 });
  const results = createJobResults(db.store, () => new Date());

  // An event in the support mailbox, written with the main application.
  await clientFor(emu.connection()).post('/users/support@contoso.example/events', { subject: 'Supplier visit', start: { dateTime: soon, timeZone: 'UTC' }, end: { dateTime: soon.replace('T09', 'T10'), timeZone: 'UTC' } });

  // Application permission: an app that holds only Calendars.Read.
  const readOnly = clientFor(emu.connection({ name: 'calendar-only', clientId: ids.appCalendarOnly, credential: { clientSecret: { env: 'CALENDAR_ONLY' } } }));
  const appOnly = await runJob(job('app.calendar', ['support@contoso.example']), createCalendarReadHandler({ store: db.store, graphFor: (_n, c: GraphCallCounter) => readOnly.withCounter(c), clock: () => new Date(), logger }), { results, logger });
  t.is(appOnly.status, 'succeeded');
  t.deepEqual((await listCalendarEvents(db.store, { user: 'support@contoso.example' })).map((e) => e.subject), ['Supplier visit']);

  // Delegated: the person signs in once (device code); the job then reads with their token. Their own calendar is
  // readable; another person's is not (no delegate rights), which fails that user only.
  const delegated = emu.connection({ name: 'support-person', delegated: { enabled: true } });
  const signingIn = signInWithDeviceCode(delegated, {
    env, baseDir: emu.dir, logger, store: tokenStore,
    onPrompt: (prompt) => void emu.control('POST', '/device/approve', { userCode: prompt.userCode, upn: 'support@contoso.example' }),
  });
  t.is((await signingIn).username, 'support@contoso.example');
  await db.store.collection('calendar_events').deleteMany({});
  const person = clientFor(delegated);
  const asPerson = await runJob(job('person.calendar', ['support@contoso.example', 'purchasing@contoso.example']), createCalendarReadHandler({
    store: db.store, graphFor: (_n, c: GraphCallCounter) => person.withCounter(c), clock: () => new Date(), logger,
  }), { results, logger });
  t.is(asPerson.status, 'partial');
  t.like(asPerson.items.find((i) => i.key === 'support@contoso.example'), { outcome: 'succeeded' });
  const denied = asPerson.items.find((i) => i.key === 'purchasing@contoso.example');
  t.is(denied?.outcome, 'failed');
  // Graph answers 403 ErrorAccessDenied; the client maps a 403 on a mailbox path to one of these two codes.
  t.true(['GRAPH_ACCESS_DENIED', 'GRAPH_MAILBOX_ACCESS_POLICY'].includes(denied?.error?.code ?? ''), denied?.error?.code);
  t.deepEqual((await listCalendarEvents(db.store, { user: 'support@contoso.example' })).map((e) => e.subject), ['Supplier visit']);
});
