import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestDatabase } from '../../../src/store/index.ts';
import { emulatorClient } from '../../helpers/emulator-client.ts';
import { generateCorpus } from '../corpus/index.ts';
import { startEmulatorProcess } from '../measure/emulator-process.ts';
import { moveOnlyRoot } from '../measure/move-only-root.ts';
import { processCpuMs, listeningPid } from '../measure/process-stats.ts';
import { readRuns } from './job-runs.ts';
import { scaleMailbox, scaleTenant } from './scale-tenant.ts';
import { startWorkers } from './start-workers.ts';

export interface ThroughputResult {
  workers: number;
  mails: number;
  processed: number;
  seconds: number;
  mailsPerSecond: number;
  cpuMsPerMail: { workers: number | null; database: number | null; emulator: number | null };
}

/** `mailboxes` × `perMailbox` mails (the realistic corpus without attachments) worked off by `workers` processes. */
export async function throughputPhase(opts: { workers: number; mailboxes: number; perMailbox: number; seed: number; timeoutMs: number }): Promise<ThroughputResult> {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-scale-'));
  const emulatorProcess = await startEmulatorProcess(dir, scaleTenant(opts.mailboxes));
  const control = emulatorClient(emulatorProcess.emulator);
  const mails = opts.mailboxes * opts.perMailbox;
  let i = 0;
  for (const mail of generateCorpus({ seed: opts.seed, count: mails, attachmentShare: 0 })) {
    await control.deliver(scaleMailbox(i % opts.mailboxes), mail.mime, 'Inbox/Support');
    i += 1;
  }
  const db = await startTestDatabase();
  const dbPid = await listeningPid(Number(new URL(db.uri.replace(/^mongodb:/, 'http:')).port));
  const cpuOf = async (pids: number[]): Promise<number | null> => {
    const values = await Promise.all(pids.map(processCpuMs));
    return values.some((v) => v === null) ? null : values.reduce<number>((s, v) => s + v!, 0);
  };
  const workers = await startWorkers(opts.workers, { emulator: emulatorProcess.emulator, dbUri: db.uri, dbName: db.dbName, jobs: opts.mailboxes, schedule: '1 hour', root: await moveOnlyRoot(dir) });
  // Every job is made due now, as a change notification for each mailbox would (the job waker's write): left to their
  // schedule, jobs due together start spread over 0.1 s each, and the phase would measure that spread, not throughput.
  await db.store.db.collection('agendaJobs').updateMany({}, { $set: { nextRunAt: new Date() } });
  const before = { workers: await cpuOf(workers.pids), db: dbPid ? await processCpuMs(dbPid) : null, emulator: await processCpuMs(emulatorProcess.pid) };
  const deadline = Date.now() + opts.timeoutMs;
  let runs = await readRuns(db.store);
  const seen = (): number => runs.filter((r) => r.status !== 'running').reduce((sum, r) => sum + (r.counts.seen ?? 0), 0);
  // The database is the event source here: each finished run writes its record.
  while (seen() < mails && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    runs = await readRuns(db.store);
  }
  const after = { workers: await cpuOf(workers.pids), db: dbPid ? await processCpuMs(dbPid) : null, emulator: await processCpuMs(emulatorProcess.pid) };
  await workers.stop();
  const finished = runs.filter((r) => r.endedAt);
  const first = Math.min(...runs.map((r) => r.startedAt.getTime()));
  const last = Math.max(...finished.map((r) => r.endedAt!.getTime()));
  const processed = seen();
  const seconds = (last - first) / 1000;
  const per = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : Number(((b - a) / Math.max(1, processed)).toFixed(2)));
  await db.drop();
  emulatorProcess.stop();
  await rm(dir, { recursive: true, force: true });
  return {
    workers: opts.workers, mails, processed, seconds: Number(seconds.toFixed(1)), mailsPerSecond: Number((processed / seconds).toFixed(1)),
    cpuMsPerMail: { workers: per(before.workers, after.workers), database: per(before.db, after.db), emulator: per(before.emulator, after.emulator) },
  };
}
