import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestDatabase } from '../../../src/store/index.ts';
import { emulatorClient } from '../../helpers/emulator-client.ts';
import { generateCorpus } from '../corpus/index.ts';
import { startEmulatorProcess } from '../measure/emulator-process.ts';
import { moveOnlyRoot } from '../measure/move-only-root.ts';
import { percentile, readRuns } from './job-runs.ts';
import { scaleMailbox, scaleTenant } from './scale-tenant.ts';
import { startWorkers } from './start-workers.ts';

export interface TicksResult {
  jobs: number;
  workers: number;
  minutes: number;
  runs: number;
  ticksMeasured: number;
  latenessSeconds: { p50: number; p95: number; max: number };
  /** Without each job's first tick, when all jobs are due at once as the workers start. */
  steadyLatenessSeconds: { p50: number; p95: number; max: number };
  emptyPolls: number;
  /** Empty polls after a job's first run (which reads the folder in full and looks its path up). */
  graphRequestsPerEmptyPoll: number;
  graphRequestsPerFirstPoll: number;
  mailsDelivered: number;
  mailsProcessed: number;
  /** How long an empty poll's run lasted (start to end of its record), and runs per worker: what bounds the ticks. */
  emptyPollSeconds: { p50: number; p95: number; max: number };
  runsByWorker: Record<string, number>;
}

const intervalMs = 60_000;

/**
 * `jobs` mail jobs on a 1-minute schedule held by `workers` processes for `minutes`, a mail now and then into a
 * random folder (most folders stay empty). A tick's lateness is how long after its due time a run started: the first
 * run is due when the workers are up, each next one a minute after the previous run started (Agenda's interval).
 */
export async function ticksPhase(opts: { jobs: number; workers: number; minutes: number; seed: number; mailEveryMs: number }): Promise<TicksResult> {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-scale-'));
  const emulatorProcess = await startEmulatorProcess(dir, scaleTenant(opts.jobs));
  const control = emulatorClient(emulatorProcess.emulator);
  const db = await startTestDatabase();
  const workers = await startWorkers(opts.workers, { emulator: emulatorProcess.emulator, dbUri: db.uri, dbName: db.dbName, jobs: opts.jobs, schedule: '1 minute', root: await moveOnlyRoot(dir) });
  const upAt = Date.now();
  const corpus = generateCorpus({ seed: opts.seed, count: 100_000, attachmentShare: 0, tag: `ticks${opts.seed}` });
  let delivered = 0;
  const endAt = upAt + opts.minutes * intervalMs;
  while (Date.now() < endAt) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(opts.mailEveryMs, Math.max(0, endAt - Date.now()))));
    if (Date.now() >= endAt) break;
    await control.deliver(scaleMailbox((delivered * 7919) % opts.jobs), corpus.next().value!.mime, 'Inbox/Support');
    delivered += 1;
  }
  await workers.stop();
  const runs = (await readRuns(db.store)).filter((r) => r.startedAt.getTime() < endAt);
  const byJob = new Map<string, number[]>();
  for (const r of runs) byJob.set(r.job, [...(byJob.get(r.job) ?? []), r.startedAt.getTime()]);
  const lateness: number[] = [];
  const steady: number[] = [];
  const firstRunAt = new Map<string, number>();
  for (let j = 0; j < opts.jobs; j += 1) {
    const starts = (byJob.get(`agent-${j}`) ?? []).sort((a, b) => a - b);
    if (starts[0] !== undefined) firstRunAt.set(`agent-${j}`, starts[0]);
    let due = upAt;
    for (const [k, start] of starts.entries()) {
      lateness.push(Math.max(0, start - due) / 1000);
      if (k > 0) steady.push(Math.max(0, start - due) / 1000);
      due = start + intervalMs;
    }
    // A tick that was due before the end and never started is as late as the whole rest of the window.
    if (due < endAt - 1000) {
      lateness.push((endAt - due) / 1000);
      steady.push((endAt - due) / 1000);
    }
  }
  const summary = (values: number[]): { p50: number; p95: number; max: number } =>
    ({ p50: Number(percentile(values, 0.5).toFixed(2)), p95: Number(percentile(values, 0.95).toFixed(2)), max: Number(Math.max(0, ...values).toFixed(2)) });
  const isFirst = (r: { job: string; startedAt: Date }): boolean => firstRunAt.get(r.job) === r.startedAt.getTime();
  const firsts = runs.filter(isFirst);
  const empty = runs.filter((r) => r.status === 'succeeded' && (r.counts.seen ?? 0) === 0 && !isFirst(r));
  const result: TicksResult = {
    jobs: opts.jobs, workers: opts.workers, minutes: opts.minutes, runs: runs.length, ticksMeasured: lateness.length,
    latenessSeconds: summary(lateness),
    steadyLatenessSeconds: summary(steady),
    emptyPolls: empty.length,
    graphRequestsPerEmptyPoll: Number((empty.reduce((s, r) => s + r.graph.requests, 0) / Math.max(1, empty.length)).toFixed(3)),
    graphRequestsPerFirstPoll: Number((firsts.reduce((s, r) => s + r.graph.requests, 0) / Math.max(1, firsts.length)).toFixed(3)),
    mailsDelivered: delivered,
    mailsProcessed: runs.reduce((s, r) => s + (r.counts.seen ?? 0), 0),
    emptyPollSeconds: summary(empty.flatMap((r) => (r.endedAt ? [(r.endedAt.getTime() - r.startedAt.getTime()) / 1000] : []))),
    runsByWorker: runs.reduce<Record<string, number>>((by, r) => ({ ...by, [r.worker]: (by[r.worker] ?? 0) + 1 }), {}),
  };
  await db.drop();
  emulatorProcess.stop();
  await rm(dir, { recursive: true, force: true });
  return result;
}
