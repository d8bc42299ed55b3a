// npm run bench:mail [-- --messages 2000]   |   npm run bench:mail -- --large [--messages 12] [--attachment-mb 25]
// Seeds N messages of realistic size into an emulated mailbox (emulator in its own process, as Microsoft would be),
// runs one mail job to completion against the embedded database, and prints throughput, Graph requests per message
// and peak memory of the connector process. The last line is one JSON object. Targets: >= 300 msg/s, <= 0.3 req/msg.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createApp } from '../../src/app.ts';
import { createSilentLogger } from '../../src/log/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { emulatorClient } from '../helpers/emulator-client.ts';
import { secretValue, supportMailbox, testConnection, testJob, testTenant } from '../helpers/mail-world.ts';
import { benchLarge } from './mail-large.ts';

const argIndex = process.argv.indexOf('--messages');
const total = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 2000;

async function corpus(): Promise<string[]> {
  const dirs = ['fixtures/mail/preprocess', 'fixtures/mail/demo/support', 'fixtures/mail/demo/support-inbox', 'fixtures/mail/demo/purchasing'];
  const out: string[] = [];
  for (const dir of dirs) {
    for (const name of (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.eml')).sort()) out.push(await readFile(join(dir, name), 'latin1'));
  }
  return out;
}

/** A fresh Message-ID (and no threading headers) so every seeded mail is a distinct new request. */
function unique(mime: string, i: number): string {
  const [head = '', ...rest] = mime.split(/\r?\n\r?\n/);
  const headers = head.split(/\r?\n(?![ \t])/).filter((h) => !/^(message-id|in-reply-to|references):/i.test(h));
  return [[...headers, `Message-ID: <bench-${i}@bench.example>`].join('\r\n'), ...rest].join('\r\n\r\n');
}

async function startEmulatorProcess(dir: string): Promise<{ emulator: RunningEmulator; stop(): void }> {
  const tenantFile = join(dir, 'tenant.json');
  await writeFile(tenantFile, JSON.stringify(testTenant()));
  const child = spawn(process.execPath, ['src/cli/bin.js', 'emulator', '--port', '0', '--tenant', tenantFile, '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited (${code})`)));
  });
  const ready = JSON.parse(line) as RunningEmulator;
  return { emulator: ready, stop: () => void child.kill('SIGTERM') };
}

const dir = await mkdtemp(join(tmpdir(), 'mailroom-bench-'));
const { emulator, stop } = await startEmulatorProcess(dir);
if (process.argv.includes('--large')) {
  await benchLarge(emulator);
  stop();
  await rm(dir, { recursive: true, force: true });
  process.exit(0);
}
const control = emulatorClient(emulator);
const samples = await corpus();
process.stderr.write(`seeding ${total} messages from ${samples.length} fixtures…\n`);
let bytes = 0;
for (let i = 0; i < total; i += 1) {
  const mime = unique(samples[i % samples.length]!, i);
  bytes += mime.length;
  await control.deliver(supportMailbox, mime, 'Inbox/Support');
}
const db = await startTestDatabase();
const job = testJob({ limits: { messagesPerRun: total + 10, attachmentMaxBytes: 26_214_400, maxAttempts: 3 } });
const app = createApp({
  config: { root: process.cwd(), env: { TEST_CLIENT_SECRET: secretValue }, connections: [testConnection(emulator)], jobs: [job], ruleSets: { default: 'rules/default.json' }, notificationsFile: null },
  store: db.store,
  logger: createSilentLogger(),
});
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
process.stderr.write('running the job…\n');
const started = performance.now();
const run = await app.runJobNow(job.name, { onProgress: (p) => p.done % 250 === 0 && process.stderr.write(`  ${p.done} messages\n`) });
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
const processed = (run.counts.created ?? 0) + (run.counts.updated ?? 0) + (run.counts.ignored ?? 0);
const result = {
  messages: total,
  processed,
  failed: run.counts.failed ?? 0,
  status: run.status,
  averageMessageBytes: Math.round(bytes / total),
  seconds: Number(seconds.toFixed(2)),
  messagesPerSecond: Number((processed / seconds).toFixed(1)),
  graphRequests: run.graph.requests,
  graphRequestsPerMessage: Number((run.graph.requests / Math.max(1, processed)).toFixed(3)),
  peakRssMb: Math.round(peakRss / 1024 / 1024),
  database: `embedded (${process.env.MONGODB_URI ? "MONGODB_URI" : "mongo-java-server unless Java is missing"})`,
};
console.log(`messages ${result.processed}/${total} in ${result.seconds} s: ${result.messagesPerSecond} msg/s, ${result.graphRequestsPerMessage} Graph requests per message, peak RSS ${result.peakRssMb} MB (${result.database})`);
console.log(JSON.stringify(result));
await db.drop();
stop();
await rm(dir, { recursive: true, force: true });
process.exit(0);
