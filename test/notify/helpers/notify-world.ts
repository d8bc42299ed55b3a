import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../../src/core/index.ts';
import type { NotificationsJobConfig } from '../../../src/config/job-config.ts';
import { createGraphClient, type GraphCallCounter, type GraphClient } from '../../../src/graph/index.ts';
import { createTokenProvider } from '../../../src/auth/index.ts';
import { createJobResults, runJob, type JobRunRecord } from '../../../src/jobs/index.ts';
import { createSilentLogger } from '../../../src/log/index.ts';
import { createNotificationsHandler, createOutbox, type DeliveryHooks, type NotificationsFile, type Outbox } from '../../../src/notify/index.ts';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.ts';
import { startTestDatabase, type TestDatabase } from '../../../src/store/index.ts';
import { createTicketStore, type TicketStore } from '../../../src/tickets/index.ts';
import { emulatorClient } from '../../helpers/emulator-client.ts';
import { secretValue, supportMailbox, testConnection, testTenant } from '../../helpers/mail-world.ts';

export { supportMailbox };

export interface SentMail {
  internetMessageId: string;
  to: { emailAddress: { address: string; name: string } }[];
  subject: string;
  body: { contentType: string; content: string };
  headers: { name: string; value: string }[];
}

/** A clock the test moves by hand. */
export function manualClock(start: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = new Date(start).getTime();
  const clock = (() => new Date(now)) as Clock & { set(iso: string): void; advance(ms: number): void };
  clock.set = (iso) => { now = new Date(iso).getTime(); };
  clock.advance = (ms) => { now += ms; };
  return clock;
}

export interface NotifyWorld {
  emulator: RunningEmulator;
  control: ReturnType<typeof emulatorClient>;
  db: TestDatabase;
  tickets: TicketStore;
  outbox: Outbox;
  clock: ReturnType<typeof manualClock>;
  job: NotificationsJobConfig;
  notificationsFile: string;
  dir: string;
  graphFor(connection: string, counter: GraphCallCounter): GraphClient;
  run(options?: { hooks?: DeliveryHooks & { afterQueue?(): void }; ownMailboxes?: string[] }): Promise<JobRunRecord>;
  sent(): Promise<SentMail[]>;
  /** Stores the Sent Items copies the emulator still holds back (its Sent Items delay); resolves with how many. */
  flushSentItems(): Promise<number>;
  close(): Promise<void>;
}

export const notificationsJob: NotificationsJobConfig = {
  name: 'notify', type: 'notifications', connection: 'test', enabled: true, schedule: '1 minute', file: 'schedules/test.json', mailbox: supportMailbox,
};

/**
 * Sent Items copies appear this late unless a test says otherwise: Exchange may store them well after the send
 * (https://learn.microsoft.com/en-us/graph/outlook-immutable-id), and the notifier must never depend on them.
 */
export const defaultSentItemsDelayMs = 10 * 60_000;

/** The emulated tenant over HTTPS, a throw-away database, a rules file and a notifications job wired to all three. */
export async function startNotifyWorld(options: { rules?: NotificationsFile; start?: string; sentItemsDelayMs?: number } = {}): Promise<NotifyWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-notify-'));
  const emulator = await startEmulator({ port: 0, stateDir: join(dir, 'emulator'), tenant: testTenant(), sentItemsDelayMs: options.sentItemsDelayMs ?? defaultSentItemsDelayMs });
  const db = await startTestDatabase();
  const clock = manualClock(options.start ?? '2026-11-20T09:00:00Z');
  const notificationsFile = options.rules ? join(dir, 'notifications.json') : join(process.cwd(), 'rules/notifications.json');
  if (options.rules) await writeFile(notificationsFile, JSON.stringify(options.rules));
  const logger = createSilentLogger();
  const connection = testConnection(emulator);
  const client = createGraphClient(connection, {
    tokenProvider: createTokenProvider(connection, { env: { TEST_CLIENT_SECRET: secretValue }, baseDir: dir, logger }),
    logger, baseDir: dir, retryBaseDelayMs: 10,
  });
  const graphFor = (_connection: string, counter: GraphCallCounter): GraphClient => client.withCounter(counter);
  const results = createJobResults(db.store, clock);
  const control = emulatorClient(emulator);
  return {
    emulator, control, db, clock, notificationsFile, dir, graphFor, job: notificationsJob,
    tickets: createTicketStore(db.store, clock),
    outbox: createOutbox(db.store, clock),
    run: (runOptions = {}) => runJob(notificationsJob, createNotificationsHandler({
      store: db.store, graphFor, clock, logger, notificationsFile, ownMailboxes: runOptions.ownMailboxes ?? [supportMailbox],
      ...(runOptions.hooks ? { hooks: runOptions.hooks } : {}),
    }), { results, logger }),
    sent: async () => (await control.sent(supportMailbox)) as unknown as SentMail[],
    flushSentItems: async () => ((await control.call('POST', `/_emulator/mailboxes/${encodeURIComponent(supportMailbox)}/sent-items/flush`)) as { stored: number }).stored,
    close: async () => {
      await db.drop();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
