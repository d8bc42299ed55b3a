import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.ts';
import type { ConnectionConfig } from '../../src/config/connection-config.ts';
import type { MailJobConfig } from '../../src/config/job-config.ts';
import type { MailroomConfig } from '../../src/config/load-config.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator, type TenantDefinition } from '../../src/emulator/index.ts';
import { createSilentLogger, type Logger } from '../../src/log/index.ts';
import { collectionNames, startTestDatabase, type TestDatabase } from '../../src/store/index.ts';
import type { ExecutionContext } from 'ava';
import type { JobRunRecord } from '../../src/jobs/index.ts';
import { emulatorClient } from './emulator-client.ts';

/** The outcomes a mail can end a run with; `seen` must be their sum. */
export const mailOutcomes = ['created', 'updated', 'ignored', 'duplicate', 'failed', 'quarantined', 'gone', 'deferred', 'skipped'] as const;

/**
 * Every mail a run saw has exactly one outcome: `seen` is the sum of the outcome counts, and each has one line (a
 * line of skipped backlog stands for the `mails` it counts).
 */
export function assertAccounted(t: ExecutionContext, run: Pick<JobRunRecord, 'counts' | 'items' | 'itemsOmitted'>): void {
  const sum = mailOutcomes.reduce((total, outcome) => total + (run.counts[outcome] ?? 0), 0);
  t.is(run.counts.seen ?? 0, sum, `seen equals the sum of the outcomes: ${JSON.stringify(run.counts)}`);
  const unknown = Object.keys(run.counts).filter((name) => name !== 'seen' && !(mailOutcomes as readonly string[]).includes(name));
  t.deepEqual(unknown, [], 'no count outside the outcomes');
  const lines = run.items.reduce((total, item) => total + (typeof item.mails === 'number' ? item.mails : 1), 0);
  t.is(lines + run.itemsOmitted, sum, 'one line per mail');
  t.is(new Set(run.items.map((item) => item.key)).size, run.items.length, 'no mail has two lines');
}

export const tenantId = '8b3c7a52-2f4e-4d1a-9c6b-1e2f3a4b5c6d';
export const clientId = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
export const secretValue = 'test~secret.value_0123456789abcdefghijklmno';
export const supportMailbox = 'support@contoso.example';

export function testTenant(): TenantDefinition {
  return {
    tenantId,
    displayName: 'Contoso (test)',
    domains: ['contoso.example'],
    applications: [{
      clientId,
      displayName: 'Mailroom test',
      secrets: [{ id: '11111111-0000-4000-8000-000000000001', value: secretValue, expires: '2099-01-01T00:00:00Z' }],
      applicationPermissions: ['Mail.ReadWrite', 'Mail.Send', 'User.Read.All', 'Calendars.ReadWrite', 'Place.Read.All'],
      adminConsent: true,
    }],
    users: [{
      id: '5a1e0c55-0000-4000-8000-00000000c0de',
      userPrincipalName: supportMailbox,
      mail: supportMailbox,
      displayName: 'Support',
      mailbox: { folders: [{ path: 'Inbox/Support' }, { path: 'Inbox/Processed' }, { path: 'Inbox/Failed' }] },
    }],
  };
}

export interface MailWorld {
  emulator: RunningEmulator;
  control: ReturnType<typeof emulatorClient>;
  db: TestDatabase;
  app: App;
  job: MailJobConfig;
  /** Runs a mail job of the world and asserts that every mail it saw is accounted for. */
  run(t: ExecutionContext, name?: string): Promise<JobRunRecord>;
  close(): Promise<void>;
}

export function testJob(overrides: Partial<MailJobConfig> = {}): MailJobConfig {
  return {
    name: 'support', type: 'mail', connection: 'test', enabled: true, schedule: '5 minutes', file: 'schedules/test.json',
    mailbox: supportMailbox, folder: 'Inbox/Support', rules: 'default',
    // Tests deliver mail before the first run and expect it processed (and startMailWorld connects the job before);
    // the backlog tests set their own.
    backlog: 'import', since: 'all',
    postActions: { markRead: true, moveTo: 'Inbox/Processed', moveFailedTo: 'Inbox/Failed', flag: false, categories: [] },
    limits: { messagesPerRun: 1000, attachmentMaxBytes: 1_000_000, maxAttempts: 3 },
    ...overrides,
  };
}

export function testConnection(emulator: RunningEmulator): ConnectionConfig {
  return {
    name: 'test', tenantId, clientId, cloud: 'emulator',
    credential: { clientSecret: { env: 'TEST_CLIENT_SECRET' } },
    authorityHost: emulator.url, graphBaseUrl: `${emulator.url}/v1.0`, caFile: emulator.caFile,
  };
}

/** An emulated tenant over HTTPS, a throw-away database and an app wired to both: what a mail job sees in production. */
export async function startMailWorld(options: { job?: Partial<MailJobConfig>; emulator?: EmulatorOptions; root?: string; ruleSets?: Record<string, string>; logger?: Logger } = {}): Promise<MailWorld> {
  const stateDir = await mkdtemp(join(tmpdir(), 'mailroom-emulator-'));
  const emulator = await startEmulator({ port: 0, stateDir, tenant: testTenant(), ...options.emulator });
  const db = await startTestDatabase();
  const job = testJob(options.job);
  // A test that does not configure a backlog gets a job that was connected before (as a job older than the setting):
  // otherwise mail delivered before its first run is backlog, never acknowledged, and whether a delivery fell in the
  // first run's second would decide what a notification test sees. The backlog tests set `backlog` themselves.
  if (options.job?.backlog === undefined) {
    await db.store.collection<{ _id: string; firstRunAt: Date | null; recordedAt: Date }>(collectionNames.mailBacklog).insertOne({ _id: job.name, firstRunAt: null, recordedAt: new Date() });
  }
  const config: MailroomConfig = {
    root: options.root ?? process.cwd(),
    env: { TEST_CLIENT_SECRET: secretValue },
    connections: [testConnection(emulator)],
    jobs: [job],
    ruleSets: options.ruleSets ?? { default: join(process.cwd(), 'rules/default.json'), examples: join(process.cwd(), 'rules/examples.json') },
    notificationsFile: null,
  };
  const app = createApp({ config, store: db.store, logger: options.logger ?? createSilentLogger() });
  return {
    emulator, control: emulatorClient(emulator), db, app, job,
    async run(t, name = job.name) {
      const record = await app.runJobNow(name);
      assertAccounted(t, record);
      return record;
    },
    close: async () => {
      await db.drop();
      await emulator.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export interface ChildResult {
  killed: boolean;
  /** The child's JSON line when it finished. */
  result: { status: string; counts: Record<string, number>; writes: number; peakRssBytes: number; [field: string]: unknown } | null;
  /** Database writes the child made before it ended (from its stderr). */
  writes: number;
  output: string;
}

/**
 * Runs the world's mail job once in a child process (test/mail/run-job-child.ts): `KILL_AFTER_WRITES` kills it with
 * SIGKILL right after its k-th database write, `KILL_ON_INFLIGHT` after the in-flight mark of a mail with that subject.
 */
export function runJobChild(world: MailWorld, env: Record<string, string> = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/mail/run-job-child.ts'], {
      env: { ...process.env, EMU_URL: world.emulator.url, EMU_CA: world.emulator.caFile, DB_URI: world.db.uri, DB_NAME: world.db.dbName, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      let result: ChildResult['result'] = null;
      try {
        result = line.startsWith('{') ? (JSON.parse(line) as ChildResult['result']) : null;
      } catch {
        result = null;
      }
      resolve({ killed: signal === 'SIGKILL', result, writes: (stderr.match(/^write \d+/gm) ?? []).length, output: `${stdout}${stderr}` });
    });
  });
}
