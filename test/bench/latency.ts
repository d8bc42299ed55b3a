// npm run bench:latency [-- --seconds 60 --mails 30]
// Delivers mail at random moments (seeded) to 10 mailboxes over a minute and measures the time from delivery to
// ticket, first with push (Graph change notifications wake the job), then with polling only (the default 5-minute
// schedule). One worker as `mailroom start` runs it (looks for due jobs every 2 s). JSON on the last line.
// Target: p95 under 5 s with push.
import type { JobConfig } from '../../src/config/job-config.ts';
import { collectionNames } from '../../src/store/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { testJob, testTenant } from '../helpers/mail-world.ts';
import { startPushWorld, until } from '../push/helpers/push-world.ts';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const seconds = arg('seconds', 60);
const mails = arg('mails', 30);
const mailboxes = Array.from({ length: 10 }, (_, i) => `support${i + 1}@contoso.example`);

/** mulberry32: the same moments on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function tenant(): ReturnType<typeof testTenant> {
  const base = testTenant();
  const template = base.users[0]!;
  return { ...base, users: mailboxes.map((mail, i) => ({ ...template, id: `5a1e0c55-0000-4000-8000-${String(i).padStart(12, '0')}`, userPrincipalName: mail, mail, displayName: `Support ${i + 1}` })) };
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function measure(push: boolean): Promise<{ p50: number; p95: number; max: number; mails: number }> {
  const jobs: JobConfig[] = mailboxes.map((mailbox, i) => testJob({ name: `support-${i + 1}`, mailbox }));
  const world = await startPushWorld({ jobs, push, emulator: { tenant: tenant() }, processEveryMs: 2000 });
  try {
    await world.startWorker('bench');
    // Every job's first run (due at once) subscribes, or simply polls an empty folder.
    await until('the first runs', async () => (await world.db.store.collection(collectionNames.jobRuns).countDocuments({ endedAt: { $ne: null } })) >= jobs.length, 120_000);
    const next = random(42);
    const plan = Array.from({ length: mails }, (_, i) => ({ i, at: next() * seconds * 1000, mailbox: mailboxes[Math.floor(next() * mailboxes.length)]! })).sort((a, b) => a.at - b.at);
    const delivered = new Map<string, number>();
    const start = Date.now();
    for (const mail of plan) {
      const wait = start + mail.at - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const subject = `latency probe ${mail.i}`;
      await world.control.deliver(mail.mailbox, buildMime({ from: 'Probe <probe@fabrikam.example>', subject, body: 'Measuring.', messageId: `latency-${push}-${mail.i}@fabrikam.example` }), 'Inbox/Support');
      delivered.set(subject, Date.now());
      process.stderr.write(`  ${push ? 'push' : 'poll'}: delivered ${delivered.size}/${mails}\r`);
    }
    process.stderr.write('\n  waiting for the tickets…\n');
    const tickets = await until('every ticket', async () => {
      const found = await world.db.store.collection<{ subject: string; createdAt: Date }>(collectionNames.tickets).find({}, { projection: { subject: 1, createdAt: 1 } }).toArray();
      return found.length >= mails ? found : undefined;
    }, 15 * 60_000);
    const latencies = tickets.map((t) => (t.createdAt.getTime() - delivered.get(t.subject)!) / 1000).sort((a, b) => a - b);
    return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: latencies.at(-1)!, mails: latencies.length };
  } finally {
    await world.close();
  }
}

process.stderr.write(`push: ${mails} mails to ${mailboxes.length} mailboxes over ${seconds} s\n`);
const withPush = await measure(true);
process.stderr.write(`push: p50 ${withPush.p50.toFixed(2)} s, p95 ${withPush.p95.toFixed(2)} s, max ${withPush.max.toFixed(2)} s\n`);
process.stderr.write('polling only (schedule 5 minutes): this takes up to six minutes\n');
const polling = await measure(false);
process.stderr.write(`polling: p50 ${polling.p50.toFixed(2)} s, p95 ${polling.p95.toFixed(2)} s, max ${polling.max.toFixed(2)} s\n`);
const round = (n: number): number => Number(n.toFixed(2));
console.log(JSON.stringify({
  mailboxes: mailboxes.length, mails, seconds,
  push: { p50: round(withPush.p50), p95: round(withPush.p95), max: round(withPush.max) },
  polling: { schedule: '5 minutes', p50: round(polling.p50), p95: round(polling.p95), max: round(polling.max) },
  targetPushP95Seconds: 5, pushMeetsTarget: withPush.p95 < 5,
}));
process.exit(0);
