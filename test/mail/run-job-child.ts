// A child process that runs one mail job once, so a test can kill it with SIGKILL at any instruction.
// Configuration comes from the environment the test sets.
import { createApp } from '../../src/app.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { openStore } from '../../src/store/index.ts';
import { testConnection, testJob, secretValue } from '../helpers/mail-world.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';

const env = process.env;
const emulator = { url: env.EMU_URL!, caFile: env.EMU_CA! } as RunningEmulator;
const store = await openStore({ uri: env.DB_URI!, dbName: env.DB_NAME!, logger: createSilentLogger() });
const job = testJob({ limits: { messagesPerRun: 10_000, attachmentMaxBytes: 1_000_000, maxAttempts: 3 } });
const app = createApp({
  config: { root: process.cwd(), env: { TEST_CLIENT_SECRET: secretValue }, connections: [testConnection(emulator)], jobs: [job], ruleSets: { default: 'rules/default.json' }, notificationsFile: null },
  store,
  logger: createSilentLogger(),
});
const run = await app.runJobNow(job.name);
await store.close();
process.stdout.write(`${JSON.stringify({ status: run.status, counts: run.counts })}\n`);
