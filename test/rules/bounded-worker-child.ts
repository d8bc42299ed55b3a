// A worker process for the bounded-evaluation test: the real scheduler on the real database runs three jobs of one
// worker: a 1-second "ticker" and two jobs that each decide one poison mail with the real rule and preprocess code.
// Prints one JSON line with what it saw, then stops the scheduler and exits.
import { performance } from 'node:perf_hooks';
import { createApp } from '../../src/app.ts';
import type { MailJobConfig } from '../../src/config/job-config.ts';
import { toAppError } from '../../src/core/index.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { preprocessMessage } from '../../src/mail/preprocess/index.ts';
import { evaluateRules, loadRuleSet } from '../../src/rules/index.ts';
import { createScheduler } from '../../src/scheduler/index.ts';
import { openStore } from '../../src/store/index.ts';
import { testJob } from '../helpers/mail-world.ts';
import { makeMessage } from './helpers/make-message.ts';

const env = process.env;
const root = env.RULES_ROOT!;
const store = await openStore({ uri: env.DB_URI!, dbName: env.DB_NAME!, logger: createSilentLogger() });
const ticks: number[] = [];
let onTick: (() => void) | undefined;
const outcomes: Record<string, unknown>[] = [];
let allDone: () => void = () => {};
const done = new Promise<void>((resolve) => { allDone = resolve; });

async function decidePoison(job: MailJobConfig): Promise<void> {
  const ruleSet = await loadRuleSet(`rules/${job.rules}.json`, { cwd: root });
  const message = makeMessage({ text: job.rules === 'poison-rule' ? env.POISON_TEXT! : 'a'.repeat(60) });
  const ticksBefore = ticks.length;
  let lastBeat = performance.now();
  let maxLoopGapMs = 0;
  const beat = setInterval(() => { const now = performance.now(); maxLoopGapMs = Math.max(maxLoopGapMs, now - lastBeat); lastBeat = now; }, 20);
  const started = performance.now();
  let finished = false;
  let preprocessMs = 0;
  const evaluation = Promise.resolve()
    .then(() => {
      const text = preprocessMessage(message, ruleSet.preprocess).text;
      preprocessMs = performance.now() - started;
      return evaluateRules(ruleSet, { message, text });
    })
    .then(() => null, (error: unknown) => toAppError(error).code)
    .finally(() => { finished = true; });
  // A signal sent while the mail is being decided is handled at once, not after the evaluation.
  const signalMs = await new Promise<number>((resolve) => {
    const sent = performance.now();
    process.once('SIGUSR2', () => resolve(performance.now() - sent));
    process.kill(process.pid, 'SIGUSR2');
  });
  const signalBeforeEnd = !finished;
  if (job.rules === 'poison-rule') await new Promise<void>((resolve) => { onTick = resolve; }); // the other job runs meanwhile
  const code = await evaluation;
  const elapsedMs = performance.now() - started;
  clearInterval(beat);
  outcomes.push({ job: job.name, code, elapsedMs, preprocessMs, ticksDuring: ticks.length - ticksBefore, signalMs, signalBeforeEnd, maxLoopGapMs });
  if (outcomes.length === 2) allDone();
}

const jobs = [
  testJob({ name: 'ticker', schedule: '1 second', connection: 'none' }),
  testJob({ name: 'poison-rule', schedule: '1 hour', rules: 'poison-rule', connection: 'none' }),
  testJob({ name: 'poison-step', schedule: '1 hour', rules: 'poison-step', connection: 'none' }),
];
const app = createApp({
  config: { root, env: {}, connections: [], jobs, ruleSets: {}, notificationsFile: null },
  store,
  logger: createSilentLogger(),
  handlers: {
    mail: async (job) => {
      const mailJob = job as MailJobConfig;
      if (mailJob.name === 'ticker') {
        ticks.push(performance.now());
        onTick?.();
        onTick = undefined;
      } else if (!outcomes.some((o) => o.job === mailJob.name)) {
        await decidePoison(mailJob);
      }
      return {};
    },
  },
});
// Warm rule workers, as a mail job has after loading its rules while it fetches mail.
const warm = await loadRuleSet('rules/poison-step.json', { cwd: root });
await Promise.all([1, 2].map(() => evaluateRules(warm, { message: makeMessage(), text: 'warm-up' })));
const scheduler = createScheduler(app, { workerName: 'bounded', processEveryMs: 100, maxConcurrency: 4 });
await scheduler.start();
await done;
process.stdout.write(`${JSON.stringify({ outcomes, ticks })}\n`);
await scheduler.stop(1000);
await store.close();
process.exit(0);
