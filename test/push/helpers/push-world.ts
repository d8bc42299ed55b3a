import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { createApp, type App } from '../../../src/app.ts';
import type { JobConfig } from '../../../src/config/job-config.ts';
import type { MailroomConfig } from '../../../src/config/load-config.ts';
import { systemClock, type Clock } from '../../../src/core/index.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/index.ts';
import { registerGraphNotificationRoutes } from '../../../src/http/routes/graph-notification-routes.ts';
import { createSilentLogger } from '../../../src/log/index.ts';
import { createPushStore } from '../../../src/push/index.ts';
import { createJobWaker, createScheduler, type Scheduler } from '../../../src/scheduler/index.ts';
import { collectionNames, startTestDatabase, type TestDatabase } from '../../../src/store/index.ts';
import { emulatorClient } from '../../helpers/emulator-client.ts';
import { secretValue, testConnection, testJob, testTenant } from '../../helpers/mail-world.ts';

export interface PushWorld {
  emulator: RunningEmulator;
  control: ReturnType<typeof emulatorClient>;
  db: TestDatabase;
  app: App;
  job: JobConfig;
  /** The receiving end Graph posts to (HTTPS with the emulator's localhost certificate, which the emulator trusts). */
  server: FastifyInstance;
  baseUrl: string;
  /** Stops the receiving server (Graph's deliveries fail), and starts it again on the same port. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  startWorker(name: string): Promise<Scheduler>;
  tickets(): Promise<number>;
  close(): Promise<void>;
}

/** Waits for a condition read from the database or an API, checking again after each short pause; fails after `limitMs`. */
export async function until<T>(what: string, read: () => Promise<T | undefined | null | false>, limitMs = 60_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface PushWorldOptions {
  jobs?: JobConfig[];
  job?: Partial<JobConfig>;
  emulator?: EmulatorOptions;
  clock?: Clock;
  /** Appended to the server's base URL (a wrong one fails the validation handshake). */
  basePath?: string;
  /** false: no public base URL, so jobs only poll. Default true. */
  push?: boolean;
  /** How often workers look for due jobs (ms); default 100. `mailroom start` uses 2000. */
  processEveryMs?: number;
}

export async function startPushWorld(options: PushWorldOptions = {}): Promise<PushWorld> {
  const stateDir = await mkdtemp(join(tmpdir(), 'mailroom-push-'));
  const emulator = await startEmulator({ port: 0, stateDir, tenant: testTenant(), ...options.emulator });
  const db = await startTestDatabase();
  const clock = options.clock ?? systemClock;
  const job = { ...testJob({ schedule: '1 minute' }), ...options.job } as JobConfig;
  const jobs = options.jobs ?? [job];
  const config: MailroomConfig = {
    root: process.cwd(), env: { TEST_CLIENT_SECRET: secretValue }, connections: [testConnection(emulator)], jobs,
    ruleSets: { default: join(process.cwd(), 'rules/default.json') }, notificationsFile: null,
  };
  const https = { cert: await readFile(join(stateDir, 'localhost-cert.pem')), key: await readFile(join(stateDir, 'localhost-key.pem')) };
  const push = createPushStore(db.store);
  const waker = createJobWaker(db.store, clock);
  let port = 0;
  let server!: FastifyInstance;
  const startServer = async (): Promise<void> => {
    server = Fastify({ https });
    await registerGraphNotificationRoutes(server, {
      push, clock, logger: createSilentLogger(),
      wake: async (name) => void (await waker.wake(jobs.find((j) => j.name === name)!)),
    });
    await server.listen({ host: '127.0.0.1', port });
    const address = server.server.address();
    port = typeof address === 'object' && address ? address.port : port;
  };
  await startServer();
  const baseUrl = `https://127.0.0.1:${port}${options.basePath ?? ''}`;
  const app = createApp({ config, store: db.store, logger: createSilentLogger(), clock, publicBaseUrl: options.push === false ? null : baseUrl });
  const workers: Scheduler[] = [];
  return {
    emulator, control: emulatorClient(emulator), db, app, job, get server() { return server; }, baseUrl,
    stopServer: () => server.close(),
    startServer,
    async startWorker(name) {
      // A short lock lifetime: Agenda's per-run liveness check sleeps half of it and outlives the run, which would keep
      // the test process alive for minutes after the last run.
      const scheduler = createScheduler(app, { workerName: name, processEveryMs: options.processEveryMs ?? 100, lockLifetimeMs: 4000 });
      workers.push(scheduler);
      await scheduler.start();
      return scheduler;
    },
    tickets: () => db.store.collection(collectionNames.tickets).countDocuments(),
    async close() {
      for (const worker of workers) await worker.stop(5000);
      await server.close();
      await db.drop();
      await emulator.close();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}
