// npm run bench:mail [-- --messages 1000] [--seed 1] [--fixtures] [--post-actions move|default] [--profile run.cpuprofile]
//   [--heap-profile run.heapprofile]
//   [--attachment-share 0.15]
//   |   npm run bench:mail -- --large [--messages 12] [--attachment-mb 25]
// Seeds N messages into an emulated mailbox (emulator in its own process, as Microsoft would be), runs one mail job to
// completion against the embedded database, and prints throughput, CPU per message of each process (connector,
// database, emulator), Graph HTTP requests and operations per message, database operations per message and peak RSS.
// By default the mail is the realistic corpus of test/bench/corpus (HTML replies with quoted threads, signature
// images, attachments); --fixtures uses the small .eml fixtures instead. The last line is one JSON object.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createApp } from '../../src/app.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { openStore, startTestDatabase } from '../../src/store/index.ts';
import { emulatorClient } from '../helpers/emulator-client.ts';
import { secretValue, testConnection, testJob, testTenant } from '../helpers/mail-world.ts';
import { describeCorpus } from './corpus/index.ts';
import { countCommands } from './measure/command-counter.ts';
import { costBreakdown } from './measure/cost-breakdown.ts';
import { profileWhile, type CpuProfile } from './measure/cpu-profile.ts';
import { benchLarge } from './mail-large.ts';
import { startEmulatorProcess } from './measure/emulator-process.ts';
import { moveOnlyRoot } from './measure/move-only-root.ts';
import { seedInChild } from './measure/seed-in-child.ts';
import { heapProfileWhile } from './measure/heap-profile.ts';
import { listeningPid, mainThreadCpuMs, processCpuMs, processPeakRssMb } from './measure/process-stats.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const useFixtures = process.argv.includes('--fixtures');
const total = Number(arg('--messages') ?? (useFixtures ? 2000 : 1000));
const seed = Number(arg('--seed') ?? 1);
const postActions = arg('--post-actions') ?? 'move';
const profileFile = arg('--profile');
const heapProfileFile = arg('--heap-profile');
const attachmentShare = arg('--attachment-share') === undefined ? undefined : Number(arg('--attachment-share'));

const perMessage = (value: number | null, n: number, digits = 2): number | null => (value === null ? null : Number((value / Math.max(1, n)).toFixed(digits)));

const dir = await mkdtemp(join(tmpdir(), 'mailroom-bench-'));
const emulatorProcess = await startEmulatorProcess(dir, testTenant());
const { emulator } = emulatorProcess;
if (process.argv.includes('--large')) {
  await benchLarge(emulator);
  emulatorProcess.stop();
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
}
const control = emulatorClient(emulator);
process.stderr.write(`seeding ${total} messages (${useFixtures ? 'small fixtures' : `realistic corpus, seed ${seed}`}) from a child process…\n`);
const corpus = await seedInChild(emulator, { total, seed, fixtures: useFixtures, ...(attachmentShare === undefined ? {} : { attachmentShare }) });
process.stderr.write(`${describeCorpus(corpus)}\n`);
const db = await startTestDatabase();
// A second client on the same database, with command monitoring, is the one the connector uses.
const store = await openStore({ uri: db.uri, dbName: db.dbName, logger: createSilentLogger(), monitorCommands: true });
const commands = countCommands(store);
const dbPid = await listeningPid(Number(new URL(db.uri.replace(/^mongodb(\+srv)?:/, 'http:')).port));
const job = testJob({
  limits: { messagesPerRun: total + 10, attachmentMaxBytes: 26_214_400, maxAttempts: 3 },
  ...(postActions === 'move' ? { postActions: { markRead: false, moveTo: 'Inbox/Processed', moveFailedTo: 'Inbox/Failed', flag: false, categories: [] } } : {}),
});
const app = createApp({
  config: { root: postActions === 'move' ? await moveOnlyRoot(dir) : process.cwd(), env: { TEST_CLIENT_SECRET: secretValue }, connections: [testConnection(emulator)], jobs: [job], ruleSets: { default: 'rules/default.json' }, notificationsFile: null },
  store,
  logger: createSilentLogger(),
});
await control.resetStats();
// The corpus was generated and delivered by a child process; what is left here is the connector's.
setFlagsFromString('--expose-gc');
(runInNewContext('gc') as () => void)();
const rssBeforeRun = process.memoryUsage.rss();
let peakRss = process.memoryUsage().rss;
// memoryUsage.rss() is cheap; memoryUsage() walks every heap space and showed up in the profile.
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
process.stderr.write(`running the job (post-actions: ${postActions})…\n`);
const before = { cpu: process.cpuUsage(), main: await mainThreadCpuMs(), db: dbPid ? await processCpuMs(dbPid) : null, emulator: await processCpuMs(emulatorProcess.pid)};
commands.reset();
const started = performance.now();
const runJob = () => app.runJobNow(job.name, { onProgress: (p) => p.done % 250 === 0 && process.stderr.write(`  ${p.done} messages\n`) });
let profile: CpuProfile | null = null;
let run: Awaited<ReturnType<typeof runJob>>;
let allocations: [string, number][] | null = null;
if (profileFile) ({ result: run, profile } = await profileWhile(runJob, profileFile));
else if (heapProfileFile) ({ result: run, topSites: allocations } = await heapProfileWhile(runJob, heapProfileFile));
else run = await runJob();
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const cpu = process.cpuUsage(before.cpu);
const mainAfter = await mainThreadCpuMs();
const mainMs = before.main === null || mainAfter === null ? null : mainAfter - before.main;
const after = { db: dbPid ? await processCpuMs(dbPid) : null, emulator: await processCpuMs(emulatorProcess.pid)};
const dbOps = commands.total();
const emulatorStats = await control.stats();
const processed = (run.counts.created ?? 0) + (run.counts.updated ?? 0) + (run.counts.ignored ?? 0);
const result = {
  corpus: useFixtures ? 'fixtures' : `realistic (seed ${seed})`,
  postActions,
  messages: total,
  processed,
  counts: run.counts,
  status: run.status,
  meanMessageBytes: corpus.meanBytes,
  medianMessageBytes: corpus.medianBytes,
  withAttachments: corpus.withAttachments,
  seconds: Number(seconds.toFixed(2)),
  messagesPerSecond: Number((processed / seconds).toFixed(1)),
  cpuMsPerMessage: {
    connector: perMessage((cpu.user + cpu.system) / 1000, processed),
    // The connector's main thread; the rest of its CPU is V8's GC helper threads, the rule workers and libuv's pool.
    connectorMainThread: perMessage(mainMs, processed),
    database: perMessage(before.db === null || after.db === null ? null : after.db - before.db, processed),
    emulator: perMessage(before.emulator === null || after.emulator === null ? null : after.emulator - before.emulator, processed),
  },
  // The profile samples the main thread only, so its shares are of the main thread's CPU.
  ...(profile ? { connectorMainThreadCpuMsPerMessageByStage: costBreakdown(profile, (mainMs ?? (cpu.user + cpu.system) / 1000) / Math.max(1, processed)) } : {}),
  ...(allocations ? { allocatedKbPerMessageBySite: Object.fromEntries(allocations.map(([site, bytes]) => [site, Math.round(bytes / 1024 / Math.max(1, processed))])) } : {}),
  graphRequestsPerMessage: perMessage(run.graph.requests, processed, 3),
  graphOperationsPerMessage: perMessage(run.graph.operations, processed, 3),
  emulatorSaw: emulatorStats,
  databaseOpsPerMessage: perMessage(dbOps, processed),
  databaseCommands: commands.byName(),
  databaseCommandsByCollection: commands.byCollection(),
  peakRssMb: { connector: Math.round(peakRss / 1024 / 1024), connectorBeforeRun: Math.round(rssBeforeRun / 1024 / 1024), emulator: await processPeakRssMb(emulatorProcess.pid), database: dbPid ? await processPeakRssMb(dbPid) : null },
  database: process.env.MONGODB_URI ? 'MONGODB_URI' : 'embedded (mongo-java-server unless Java is missing)',
  loadAverage: (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' '),
};
console.log(`messages ${processed}/${total} in ${result.seconds} s: ${result.messagesPerSecond} msg/s; CPU ms/msg connector ${result.cpuMsPerMessage.connector} (main thread ${result.cpuMsPerMessage.connectorMainThread}), database ${result.cpuMsPerMessage.database}, emulator ${result.cpuMsPerMessage.emulator}; Graph ${result.graphRequestsPerMessage} requests and ${result.graphOperationsPerMessage} operations per message; database ${result.databaseOpsPerMessage ?? 'n/a'} ops per message; peak RSS connector ${result.peakRssMb.connector} MB (${result.database}; load ${result.loadAverage})`);
console.log(JSON.stringify(result));
await store.close();
await db.drop();
emulatorProcess.stop();
await rm(dir, { recursive: true, force: true });
process.exit(0);
