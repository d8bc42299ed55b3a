// A worker process for scheduler tests: real Agenda on the real database, with a probe in place of the mail work
// that records when each run started and ended, and in which process.
import { createApp } from '../../src/app.ts';
import type { MailJobConfig } from '../../src/config/job-config.ts';
import { createLogger, createSilentLogger } from '../../src/log/index.ts';
import { createScheduler } from '../../src/scheduler/index.ts';
import { openStore } from '../../src/store/index.ts';
import { testJob } from '../helpers/mail-world.ts';

const env = process.env;
const store = await openStore({ uri: env.DB_URI!, dbName: env.DB_NAME!, logger: createSilentLogger() });
const jobCount = Number(env.JOBS ?? '30');
const runMs = Number(env.RUN_MS ?? '400');
const jobs: MailJobConfig[] = Array.from({ length: jobCount }, (_, i) => testJob({ name: `job-${i}`, schedule: env.SCHEDULE ?? '2 seconds', connection: 'none' }));
const probes = store.db.collection<{ job: string; worker: string; start: Date; end: Date | null }>('probe_runs');
const app = createApp({
  // The job's lease lapses with Agenda's lock, so a killed worker's job is taken over after LOCK_MS either way.
  config: { root: process.cwd(), env: { MAILROOM_JOB_LOCK_SECONDS: String(Number(env.LOCK_MS ?? '600000') / 1000) }, connections: [], jobs, ruleSets: {}, notificationsFile: null },
  store,
  logger: env.DEBUG_WORKER ? createLogger({ level: 'debug', format: 'pretty' }) : createSilentLogger(),
  handlers: {
    mail: async (job, ctx) => {
      const { insertedId } = await probes.insertOne({ job: job.name, worker: env.WORKER ?? String(process.pid), start: new Date(), end: null });
      await new Promise((resolve) => setTimeout(resolve, job.name === env.LONG_JOB ? 60_000 : runMs));
      if (ctx.signal.aborted) return { status: 'aborted' };
      await probes.updateOne({ _id: insertedId }, { $set: { end: new Date() } });
      return {};
    },
  },
});
const scheduler = createScheduler(app, { workerName: env.WORKER ?? 'w', lockLifetimeMs: Number(env.LOCK_MS ?? '600000'), processEveryMs: 500, maxConcurrency: 40 });
await scheduler.start();
process.stdout.write('started\n');
const stop = async (): Promise<void> => {
  await scheduler.stop(Number(env.GRACE_MS ?? '5000'));
  await store.close();
  process.stdout.write('stopped\n');
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
