// npm run bench:scale [-- --quick] [--part throughput|ticks] [--seed 1] [--concurrency n]
// A benchmark, not a test. (1) 100 mailboxes × 50 mails worked off by one and then two worker processes on one
// database: the throughput ratio. (2) 1,000 mail jobs on a 1-minute schedule held by two workers for 5 minutes with
// mostly empty folders: lateness of each tick (p95, max) and Graph requests per empty poll. --quick: 20 × 20 mails,
// 200 jobs for 2 minutes. --concurrency: jobs each worker runs at once (default: the scheduler's, as `mailroom worker`).
// A tick's lateness is measured against its own scheduled time (jobs are spread by their phases, job-phase.ts), and
// an empty poll's database commands are counted, not assumed.
// The last line is one JSON object.
import { readFile } from 'node:fs/promises';
import { defaultConcurrency } from '../../src/scheduler/index.ts';
import { throughputPhase } from './scale/throughput-phase.ts';
import { ticksPhase } from './scale/ticks-phase.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const quick = process.argv.includes('--quick');
const part = arg('--part');
const seed = Number(arg('--seed') ?? 1);
// The workers read it from their environment (scale-worker.ts).
if (arg('--concurrency')) process.env.SCALE_CONCURRENCY = arg('--concurrency');
const sizes = quick ? { mailboxes: 20, perMailbox: 20, jobs: 200, minutes: 2 } : { mailboxes: 100, perMailbox: 50, jobs: 1000, minutes: 5 };
const load = async (): Promise<string> => (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');

const result: Record<string, unknown> = { quick, cores: (await import('node:os')).availableParallelism(), concurrency: process.env.SCALE_CONCURRENCY ? Number(process.env.SCALE_CONCURRENCY) : defaultConcurrency };
if (part !== 'ticks') {
  const throughputLoad = await load();
  const phase = { mailboxes: sizes.mailboxes, perMailbox: sizes.perMailbox, seed, timeoutMs: 30 * 60_000 };
  process.stderr.write(`throughput: ${sizes.mailboxes} mailboxes × ${sizes.perMailbox} mails, one worker…\n`);
  const one = await throughputPhase({ ...phase, workers: 1 });
  process.stderr.write(`  ${JSON.stringify(one)}\nthroughput: two workers…\n`);
  const two = await throughputPhase({ ...phase, workers: 2 });
  process.stderr.write(`  ${JSON.stringify(two)}\n`);
  result.throughput = { one, two, ratio: Number((two.mailsPerSecond / one.mailsPerSecond).toFixed(2)), loadAverageBefore: throughputLoad, loadAverage: await load() };
  console.log(`throughput: 1 worker ${one.mailsPerSecond} mails/s, 2 workers ${two.mailsPerSecond} mails/s (×${String((result.throughput as { ratio: number }).ratio)})`);
}
if (part !== 'throughput') {
  process.stderr.write(`ticks: ${sizes.jobs} jobs every minute, 2 workers, ${sizes.minutes} minutes…\n`);
  const loadBefore = await load();
  const ticks = await ticksPhase({ jobs: sizes.jobs, workers: 2, minutes: sizes.minutes, seed, mailEveryMs: 5000 });
  result.ticks = { ...ticks, loadAverageBefore: loadBefore, loadAverage: await load() };
  console.log(`ticks: ${ticks.runs} runs, lateness against each tick's own time p95 ${ticks.latenessSeconds.p95} s, max ${ticks.latenessSeconds.max} s (first ticks, spread over ${ticks.firstRunsSpreadSeconds} s: p95 ${ticks.firstTickLatenessSeconds.p95} s, max ${ticks.firstTickLatenessSeconds.max} s; after them: p95 ${ticks.steadyLatenessSeconds.p95} s, max ${ticks.steadyLatenessSeconds.max} s); load ${loadBefore} → ${String((result.ticks as { loadAverage: string }).loadAverage)}`);
  console.log(`empty poll: ${ticks.emptyPoll.databaseCommands} database commands and ${ticks.emptyPoll.graphRequests} Graph requests (counted on ${ticks.emptyPoll.sampled}: ${JSON.stringify(ticks.emptyPoll.databaseCommandsByCollection)}), besides Agenda's ${ticks.agendaCommandsPerRun} a run; in the phase ${ticks.graphRequestsPerEmptyPoll} Graph requests per empty poll (${ticks.emptyPolls} empty polls; a job's first poll ${ticks.graphRequestsPerFirstPoll}), ${ticks.emptyPollSeconds.p95} s p95 a run`);
}
console.log(JSON.stringify(result));
process.exit(0);
