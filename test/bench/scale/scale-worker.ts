// One worker process of the scale benchmark: the real scheduler (Agenda on the shared database) running real mail
// jobs against the emulator, with the options `mailroom worker` uses. Prints the first runs its reconciliation set
// ("first-runs {…}"), then "started"; on SIGTERM it stops gracefully and prints the database commands it sent
// ("commands {…}", by command and collection) before it exits.
import type { RunningEmulator } from '../../../src/emulator/index.ts';
import { createSilentLogger } from '../../../src/log/index.ts';
import { createScheduler } from '../../../src/scheduler/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { countCommands } from '../measure/command-counter.ts';
import { scaleApp } from './scale-app.ts';

const env = process.env;
const emulator = JSON.parse(env.EMULATOR!) as RunningEmulator;
const store = await openStore({ uri: env.DB_URI!, dbName: env.DB_NAME!, logger: createSilentLogger(), monitorCommands: true });
const commands = countCommands(store);
const app = scaleApp(store, { emulator, root: env.ROOT!, jobs: Number(env.JOBS), schedule: env.SCHEDULE! });
// As src/cli/commands/service-commands.ts starts a worker (--concurrency, else the scheduler's default).
const scheduler = createScheduler(app, { workerName: env.WORKER!, processEveryMs: 2000, ...(env.SCALE_CONCURRENCY ? { maxConcurrency: Number(env.SCALE_CONCURRENCY) } : {}) });
const { firstRuns } = await scheduler.start();
process.stdout.write(`first-runs ${JSON.stringify(firstRuns)}\nstarted\n`);
process.once('SIGTERM', () => void (async () => {
  await scheduler.stop(15_000);
  process.stdout.write(`commands ${JSON.stringify(commands.byCollection())}\n`);
  await store.close();
  process.exit(0);
})());
