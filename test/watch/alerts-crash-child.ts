/**
 * An alerts run in a process of its own that kills itself (SIGKILL: no cleanup, no finally) at a chosen point, so the
 * crash test can prove what a restart does. Argument: JSON { point, uri, dbName, config, now }.
 */
import { createJobResults, runJob } from '../../src/jobs/index.ts';
import type { AlertsJobConfig } from '../../src/config/job-config.ts';
import type { MailroomConfig } from '../../src/config/load-config.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { openStore } from '../../src/store/index.ts';
import { createAlertsHandler } from '../../src/watch/index.ts';

interface ChildArgs {
  point: 'after-transitions' | 'after-queue';
  uri: string;
  dbName: string;
  config: MailroomConfig;
  now: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
const logger = createSilentLogger();
const clock = (): Date => new Date(args.now);
const store = await openStore({ uri: args.uri, dbName: args.dbName, logger });
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
const job = args.config.jobs.find((j): j is AlertsJobConfig => j.type === 'alerts')!;
const results = createJobResults(store, clock);
await runJob(job, createAlertsHandler({
  store, config: args.config, results, clock,
  hooks: {
    afterTransitions: () => (args.point === 'after-transitions' ? die() : undefined),
    afterQueue: () => (args.point === 'after-queue' ? die() : undefined),
  },
}), { results, logger });
process.stdout.write('finished without crashing\n');
await store.close();
