// A child process that runs one mail job once (or a quarantine replay), so a test can kill it at a point chosen
// from the run's own progress: after its k-th database write (KILL_AFTER_WRITES), or right after the in-flight mark
// of a mail whose subject contains KILL_ON_INFLIGHT, as a mail that crashes or hangs the process would.
// Configuration comes from the environment the test sets. Prints one JSON line with the result and its peak RSS.
import { GridFSBucket, MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import { createApp } from '../../src/app.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { createQuarantineService } from '../../src/mail/connector/index.ts';
import { filesBucketName, type CollectionName, type Store } from '../../src/store/index.ts';
import { testConnection, testJob, secretValue } from '../helpers/mail-world.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';

const env = process.env;
const emulator = { url: env.EMU_URL!, caFile: env.EMU_CA! } as RunningEmulator;
const client = new MongoClient(env.DB_URI!, { monitorCommands: true, retryWrites: false });
await client.connect();
const db = client.db(env.DB_NAME!);
const bucket = new GridFSBucket(db, { bucketName: filesBucketName });
const store: Store = {
  client, db, origin: 'uri', uri: env.DB_URI!,
  collection: <T extends Document = Document>(name: CollectionName) => db.collection<T>(name),
  files: () => bucket,
  close: () => client.close(),
};

const writeCommands = new Set(['insert', 'update', 'delete', 'findAndModify']);
const killAfter = env.KILL_AFTER_WRITES ? Number(env.KILL_AFTER_WRITES) : null;
const killOnInflight = env.KILL_ON_INFLIGHT ?? null;
const started = new Map<number, CommandStartedEvent>();
let writes = 0;
client.on('commandStarted', (event) => {
  if (writeCommands.has(event.commandName)) started.set(event.requestId, event);
});
client.on('commandSucceeded', (event) => {
  const command = started.get(event.requestId);
  if (!command) return;
  started.delete(event.requestId);
  writes += 1;
  process.stderr.write(`write ${writes} ${command.commandName} ${String(command.command[command.commandName])}\n`);
  if (killAfter !== null && writes >= killAfter) process.kill(process.pid, 'SIGKILL');
  if (killOnInflight !== null && command.commandName === 'update') {
    const updates = (command.command.updates ?? []) as { u?: { $set?: { status?: string; subject?: string } } }[];
    if (updates.some((u) => u.u?.$set?.status === 'inflight' && u.u.$set.subject?.includes(killOnInflight))) process.kill(process.pid, 'SIGKILL');
  }
});

const job = testJob({
  rules: env.RULES ?? 'default',
  limits: { messagesPerRun: 10_000, attachmentMaxBytes: Number(env.ATTACHMENT_MAX_BYTES ?? 1_000_000), maxAttempts: Number(env.MAX_ATTEMPTS ?? 3), ...(env.MESSAGE_MAX_BYTES ? { messageMaxBytes: Number(env.MESSAGE_MAX_BYTES) } : {}) },
});
const app = createApp({
  config: { root: env.RULES_ROOT ?? process.cwd(), env: { TEST_CLIENT_SECRET: secretValue, MAILROOM_JOB_LOCK_SECONDS: env.JOB_LOCK_SECONDS ?? '1' }, connections: [testConnection(emulator)], jobs: [job], ruleSets: {}, notificationsFile: null },
  store,
  logger: createSilentLogger(),
});
// What the process holds before the run (modules, the rule worker, connections): the run's own share is the rest.
const beforeRunBytes = process.memoryUsage.rss();
let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
let output: Record<string, unknown>;
if (env.MODE === 'replay') {
  const service = createQuarantineService({ store, clock: app.clock, graphFor: app.graphFor, findJob: app.findJob, runJob: (name) => app.runJobNow(name, { wait: true }) });
  const result = await service.replay(job.name, env.REPLAY_KEY ?? null);
  output = { status: result.run.status, counts: result.run.counts, replayed: result.replayed.length, items: result.items };
} else {
  // A killed run's lease lapses after JOB_LOCK_SECONDS; this run waits for it, as `jobs run --wait` does.
  const run = await app.runJobNow(job.name, { wait: true });
  output = { status: run.status, counts: run.counts, error: run.error, itemsOmitted: run.itemsOmitted, items: run.items.length };
}
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
await store.close();
// maxRSS is in kilobytes: https://nodejs.org/api/process.html#processresourceusage
process.stdout.write(`${JSON.stringify({ ...output, writes, rssBeforeRunBytes: beforeRunBytes, peakRssBytes: Math.max(peak, process.resourceUsage().maxRSS * 1024) })}\n`);
