import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../../src/emulator/index.ts';
import { nextSlot } from '../../../src/scheduler/index.ts';
import { createSilentLogger } from '../../../src/log/index.ts';
import { openStore, startTestDatabase } from '../../../src/store/index.ts';
import { countCommands } from '../measure/command-counter.ts';
import { emulatorClient } from '../../helpers/emulator-client.ts';
import { generateCorpus } from '../corpus/index.ts';
import { startEmulatorProcess } from '../measure/emulator-process.ts';
import { moveOnlyRoot } from '../measure/move-only-root.ts';
import { percentile, readRuns } from './job-runs.ts';
import { scaleApp } from './scale-app.ts';
import { scaleMailbox, scaleTenant } from './scale-tenant.ts';
import { startWorkers } from './start-workers.ts';

export interface TicksResult {
  jobs: number;
  workers: number;
  minutes: number;
  runs: number;
  ticksMeasured: number;
  /** How long after its own scheduled time each tick started (its first run as the reconciliation set it, then its slots). */
  latenessSeconds: { p50: number; p95: number; max: number };
  /** Each job's first tick only: all jobs are new as the workers start, spread over the interval by their phases. */
  firstTickLatenessSeconds: { p50: number; p95: number; max: number };
  /** Without each job's first tick. */
  steadyLatenessSeconds: { p50: number; p95: number; max: number };
  /** From the earliest to the latest first run the workers scheduled. */
  firstRunsSpreadSeconds: number;
  emptyPolls: number;
  /** Empty polls after a job's first run (which reads the folder in full and looks its path up). */
  graphRequestsPerEmptyPoll: number;
  graphRequestsPerFirstPoll: number;
  mailsDelivered: number;
  mailsProcessed: number;
  /** How long an empty poll's run lasted (start to end of its record), and runs per worker: what bounds the ticks. */
  emptyPollSeconds: { p50: number; p95: number; max: number };
  runsByWorker: Record<string, number>;
  /** Counted on a sample of empty polls run one at a time after the workers stopped (job lease, run record, the connector's reads and writes). */
  emptyPoll: { sampled: number; databaseCommands: number; graphRequests: number; databaseCommandsByCollection: Record<string, number> };
  /** Agenda's own commands (scans, locks, its saves at a run's start and end) per run, counted in the workers over the whole phase. */
  agendaCommandsPerRun: number;
  /** All other commands the workers sent per run (mail runs included). */
  otherCommandsPerRun: number;
}

const intervalMs = 60_000;

/**
 * Empty polls of jobs that got no mail, run one at a time through the same path a worker takes (lease, run record,
 * connector), on a client of their own whose commands are counted: what one empty poll costs the database.
 */
async function sampleEmptyPolls(opts: { jobs: number; dbUri: string; dbName: string; emulator: RunningEmulator; root: string; mailed: Set<number>; ran: Map<string, number> }): Promise<TicksResult['emptyPoll']> {
  const store = await openStore({ uri: opts.dbUri, dbName: opts.dbName, logger: createSilentLogger(), monitorCommands: true });
  const commands = countCommands(store);
  const app = scaleApp(store, { emulator: opts.emulator, root: opts.root, jobs: opts.jobs, schedule: '1 minute' });
  const sample = Array.from({ length: opts.jobs }, (_, j) => j).filter((j) => !opts.mailed.has(j) && opts.ran.has(`agent-${j}`)).slice(0, 20);
  let total = 0;
  let graph = 0;
  const byCollection: Record<string, number> = {};
  for (const j of sample) {
    commands.reset();
    const record = await app.runJobNow(`agent-${j}`);
    if (record.status !== 'succeeded' || (record.counts.seen ?? 0) !== 0) throw new Error(`agent-${j}: not an empty poll (${record.status}, ${JSON.stringify(record.counts)})`);
    total += commands.total();
    graph += record.graph.requests;
    for (const [k, v] of Object.entries(commands.byCollection())) byCollection[k] = (byCollection[k] ?? 0) + v;
  }
  await store.close();
  const n = Math.max(1, sample.length);
  return {
    sampled: sample.length, databaseCommands: Number((total / n).toFixed(2)), graphRequests: Number((graph / n).toFixed(2)),
    databaseCommandsByCollection: Object.fromEntries(Object.entries(byCollection).map(([k, v]) => [k, Number((v / n).toFixed(2))])),
  };
}

/**
 * `jobs` mail jobs on a 1-minute schedule held by `workers` processes for `minutes`, a mail now and then into a
 * random folder (most folders stay empty). A tick's lateness is how long after its own scheduled time a run started:
 * the first run when the workers' reconciliation spread it, each next one at the job's next slot (job-phase.ts).
 */
export async function ticksPhase(opts: { jobs: number; workers: number; minutes: number; seed: number; mailEveryMs: number }): Promise<TicksResult> {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-scale-'));
  const emulatorProcess = await startEmulatorProcess(dir, scaleTenant(opts.jobs));
  const control = emulatorClient(emulatorProcess.emulator);
  const db = await startTestDatabase();
  const root = await moveOnlyRoot(dir);
  const workers = await startWorkers(opts.workers, { emulator: emulatorProcess.emulator, dbUri: db.uri, dbName: db.dbName, jobs: opts.jobs, schedule: '1 minute', root });
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
  const workerCommands = await workers.stop();
  const runs = (await readRuns(db.store)).filter((r) => r.startedAt.getTime() < endAt);
  const byJob = new Map<string, number[]>();
  for (const r of runs) byJob.set(r.job, [...(byJob.get(r.job) ?? []), r.startedAt.getTime()]);
  const lateness: number[] = [];
  const firstTicks: number[] = [];
  const steady: number[] = [];
  const firstRunAt = new Map<string, number>();
  for (let j = 0; j < opts.jobs; j += 1) {
    const name = `agent-${j}`;
    const starts = (byJob.get(name) ?? []).sort((a, b) => a - b);
    if (starts[0] !== undefined) firstRunAt.set(name, starts[0]);
    // Each tick's own time: the first as the workers scheduled it, each next the slot the scheduler set after a run.
    let due = workers.firstRuns.get(name) ?? upAt;
    for (const [k, start] of starts.entries()) {
      const late = Math.max(0, start - due) / 1000;
      lateness.push(late);
      (k === 0 ? firstTicks : steady).push(late);
      due = nextSlot(name, intervalMs, new Date(start)).getTime();
    }
    // A tick that was due before the end and never started is as late as the whole rest of the window.
    if (due < endAt - 1000) {
      lateness.push((endAt - due) / 1000);
      (starts.length === 0 ? firstTicks : steady).push((endAt - due) / 1000);
    }
  }
  const firstDue = [...workers.firstRuns.values()];
  const sum = (by: Record<string, number>, pick: (key: string) => boolean): number => Object.entries(by).filter(([k]) => pick(k)).reduce((n, [, v]) => n + v, 0);
  const agendaCommands = workerCommands.reduce((n, by) => n + sum(by, (k) => k.endsWith(' agendaJobs')), 0);
  const otherCommands = workerCommands.reduce((n, by) => n + sum(by, (k) => !k.endsWith(' agendaJobs')), 0);
  const emptyPoll = await sampleEmptyPolls({ ...opts, dbUri: db.uri, dbName: db.dbName, emulator: emulatorProcess.emulator, root, mailed: new Set(Array.from({ length: delivered }, (_, d) => (d * 7919) % opts.jobs)), ran: firstRunAt });
  const summary = (values: number[]): { p50: number; p95: number; max: number } =>
    ({ p50: Number(percentile(values, 0.5).toFixed(2)), p95: Number(percentile(values, 0.95).toFixed(2)), max: Number(Math.max(0, ...values).toFixed(2)) });
  const isFirst = (r: { job: string; startedAt: Date }): boolean => firstRunAt.get(r.job) === r.startedAt.getTime();
  const firsts = runs.filter(isFirst);
  const empty = runs.filter((r) => r.status === 'succeeded' && (r.counts.seen ?? 0) === 0 && !isFirst(r));
  const result: TicksResult = {
    jobs: opts.jobs, workers: opts.workers, minutes: opts.minutes, runs: runs.length, ticksMeasured: lateness.length,
    latenessSeconds: summary(lateness),
    firstTickLatenessSeconds: summary(firstTicks),
    steadyLatenessSeconds: summary(steady),
    firstRunsSpreadSeconds: firstDue.length > 0 ? Number(((Math.max(...firstDue) - Math.min(...firstDue)) / 1000).toFixed(1)) : 0,
    emptyPolls: empty.length,
    graphRequestsPerEmptyPoll: Number((empty.reduce((s, r) => s + r.graph.requests, 0) / Math.max(1, empty.length)).toFixed(3)),
    graphRequestsPerFirstPoll: Number((firsts.reduce((s, r) => s + r.graph.requests, 0) / Math.max(1, firsts.length)).toFixed(3)),
    mailsDelivered: delivered,
    mailsProcessed: runs.reduce((s, r) => s + (r.counts.seen ?? 0), 0),
    emptyPollSeconds: summary(empty.flatMap((r) => (r.endedAt ? [(r.endedAt.getTime() - r.startedAt.getTime()) / 1000] : []))),
    runsByWorker: runs.reduce<Record<string, number>>((by, r) => ({ ...by, [r.worker]: (by[r.worker] ?? 0) + 1 }), {}),
    emptyPoll,
    agendaCommandsPerRun: Number((agendaCommands / Math.max(1, runs.length)).toFixed(2)),
    otherCommandsPerRun: Number((otherCommands / Math.max(1, runs.length)).toFixed(2)),
  };
  await db.drop();
  emulatorProcess.stop();
  await rm(dir, { recursive: true, force: true });
  return result;
}
