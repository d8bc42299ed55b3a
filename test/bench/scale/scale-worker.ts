// One worker process of the scale benchmark: the real scheduler (Agenda on the shared database) running real mail
// jobs against the emulator, with the options `mailroom worker` uses. Prints "started"; SIGTERM stops it gracefully.
import { createApp } from '../../../src/app.ts';
import type { RunningEmulator } from '../../../src/emulator/index.ts';
import { createSilentLogger } from '../../../src/log/index.ts';
import { createScheduler } from '../../../src/scheduler/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { secretValue, testConnection, testJob } from '../../helpers/mail-world.ts';
import { scaleMailbox } from './scale-tenant.ts';

const env = process.env;
const emulator = JSON.parse(env.EMULATOR!) as RunningEmulator;
const store = await openStore({ uri: env.DB_URI!, dbName: env.DB_NAME!, logger: createSilentLogger() });
const jobs = Array.from({ length: Number(env.JOBS) }, (_, i) => testJob({
  name: `agent-${i}`, mailbox: scaleMailbox(i), schedule: env.SCHEDULE!,
  postActions: { markRead: false, moveTo: 'Inbox/Processed', moveFailedTo: 'Inbox/Failed', flag: false, categories: [] },
  limits: { messagesPerRun: 1000, attachmentMaxBytes: 26_214_400, maxAttempts: 3 },
}));
const app = createApp({
  config: { root: env.ROOT!, env: { TEST_CLIENT_SECRET: secretValue }, connections: [testConnection(emulator)], jobs, ruleSets: { default: 'rules/default.json' }, notificationsFile: null },
  store,
  logger: createSilentLogger(),
});
// As src/cli/commands/service-commands.ts starts a worker.
const scheduler = createScheduler(app, { workerName: env.WORKER!, processEveryMs: 2000, ...(env.SCALE_CONCURRENCY ? { maxConcurrency: Number(env.SCALE_CONCURRENCY) } : {}) });
await scheduler.start();
process.stdout.write('started\n');
process.once('SIGTERM', () => void (async () => {
  await scheduler.stop(15_000);
  await store.close();
  process.exit(0);
})());
