import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import { withAlertsDefaults } from '../../src/config/alerts-job-defaults.ts';
import type { ConnectionConfig } from '../../src/config/connection-config.ts';
import type { AlertsJobConfig, JobConfig, NotificationsJobConfig } from '../../src/config/job-config.ts';
import type { MailroomConfig } from '../../src/config/load-config.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { createSilentLogger, type Logger } from '../../src/log/index.ts';
import { startTestDatabase, type TestDatabase } from '../../src/store/index.ts';
import { emulatorClient } from '../helpers/emulator-client.ts';
import { secretValue, supportMailbox, testConnection, testJob, testTenant } from '../helpers/mail-world.ts';
import { manualClock, type SentMail } from '../notify/helpers/notify-world.ts';

export const adminAddress = 'ops-admin@fabrikam.example';

export const notifyJob: NotificationsJobConfig = {
  name: 'notify', type: 'notifications', connection: 'test', enabled: true, schedule: '1 minute', file: 'schedules/test.json', mailbox: supportMailbox,
};

export function alertsJob(raw: Record<string, unknown> = {}): AlertsJobConfig {
  return withAlertsDefaults({ name: 'alerts', type: 'alerts', connection: 'test', recipients: [adminAddress], ...raw }, 'schedules/test.json');
}

export interface AlertsWorld {
  emulator: RunningEmulator;
  control: ReturnType<typeof emulatorClient>;
  db: TestDatabase;
  clock: ReturnType<typeof manualClock>;
  /** A throw-away folder for the test's files. */
  dir: string;
  /** An app over the same database, tenant and clock with these jobs (a changed schedules/ folder). */
  app(jobs: readonly JobConfig[], connections?: readonly ConnectionConfig[], logger?: Logger): App;
  sent(): Promise<SentMail[]>;
  close(): Promise<void>;
}

/** The emulated tenant, a database and apps built by the real composition root: jobs, notifications and alerts. */
export async function startAlertsWorld(): Promise<AlertsWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-alerts-'));
  const emulator = await startEmulator({ port: 0, stateDir: join(dir, 'emulator'), tenant: testTenant() });
  const db = await startTestDatabase();
  const clock = manualClock('2026-11-20T09:00:00Z');
  const control = emulatorClient(emulator);
  return {
    emulator, control, db, clock, dir,
    app(jobs, connections = [testConnection(emulator)], logger = createSilentLogger()) {
      const config: MailroomConfig = {
        root: process.cwd(), env: { TEST_CLIENT_SECRET: secretValue }, connections, jobs,
        ruleSets: { default: join(process.cwd(), 'rules/default.json') }, notificationsFile: null,
      };
      return createApp({ config, store: db.store, logger, clock });
    },
    sent: async () => (await control.sent(supportMailbox)) as unknown as SentMail[],
    close: async () => {
      await db.drop();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export { testJob };
