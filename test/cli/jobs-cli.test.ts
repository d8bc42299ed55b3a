import test, { type ExecutionContext } from 'ava';
import { cp, mkdtemp, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.ts';
import { createJobResults, type JobLockDoc } from '../../src/jobs/index.ts';
import { startTestDatabase, type TestDatabase } from '../../src/store/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { emulatorClient } from '../helpers/emulator-client.ts';
import { clientId, secretValue, supportMailbox, tenantId, testTenant } from '../helpers/mail-world.ts';
import { startCliProject } from '../helpers/cli-project.ts';
import { runCli, startCli, type CliResult } from '../helpers/run-cli.ts';

// The CLI as a user runs it: a project folder, `mailroom emulator` state in .mailroom/emulator, the real binary.
test('jobs run, results, show, list, disable and tickets show work through the binary', async (t) => {
  const { project, emulator } = await startCliProject(t, 'cli', [{ name: 'support', type: 'mail', connection: 'local', mailbox: supportMailbox, folder: 'Inbox/Support' }]);
  await emulatorClient(emulator).deliver(supportMailbox, buildMime({ from: 'Ann <ann@fabrikam.example>', subject: 'Monitor flickers', body: 'Since today.', messageId: 'cli-1@fabrikam.example' }), 'Inbox/Support');
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const env = { LOCAL_SECRET: secretValue, MONGODB_URI: db.uri, MAILROOM_DB: db.dbName };
  const cli = (args: string[]) => runCli(args, { cwd: project, env, timeoutMs: 120_000 });

  const run = await cli(['jobs', 'run', 'support', '--json']);
  t.is(run.code, 0, run.stderr);
  const record = JSON.parse(run.stdout) as { _id: string; status: string; counts: Record<string, number> };
  t.is(record.status, 'succeeded');
  t.is(record.counts.created, 1);
  t.is((await stat(join(project, '.mailroom'))).mode & 0o777, 0o700, '.mailroom (the emulator made it) is the owner\'s only');

  const results = JSON.parse((await cli(['jobs', 'results', 'support', '--json'])).stdout) as { _id: string }[];
  t.is(results[0]?._id, record._id);
  const shown = await cli(['jobs', 'show', record._id]);
  t.regex(shown.stdout, /Monitor flickers/);
  const tickets = JSON.parse((await cli(['tickets', 'list', '--json'])).stdout) as { number: number; subject: string }[];
  t.deepEqual(tickets.map((x) => x.subject), ['Monitor flickers']);
  t.regex((await cli(['tickets', 'show', String(tickets[0]!.number)])).stdout, /Since today/);

  t.is((await cli(['jobs', 'disable', 'support'])).code, 0);
  const list = JSON.parse((await cli(['jobs', 'list', '--json'])).stdout) as { name: string; enabled: boolean; override: string | null; lastRun: { status: string } }[];
  t.like(list[0], { name: 'support', enabled: false, override: 'disabled', lastRun: { status: 'succeeded' } });

  t.regex((await cli(['jobs', 'prune', '--older-than', '0'])).stdout, /removed 1 run\(s\)/);
  t.is((await cli(['jobs', 'prune', '--older-than', 'soon'])).code, 2);

  const missing = await cli(['jobs', 'run', 'nope']);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /JOB_NOT_FOUND: no job named "nope"/);
  const badTicket = await cli(['tickets', 'show', '99999']);
  t.is(badTicket.code, 2);
  t.regex(badTicket.stderr, /TICKET_NOT_FOUND/);
});

/** A project folder, an emulated tenant with `count` mails waiting, one test database: what concurrent CLIs share. */
async function sharedProject(t: ExecutionContext, count: number, latencyMs: number): Promise<{ cli: (args: string[]) => Promise<CliResult>; db: TestDatabase; project: string; env: Record<string, string> }> {
  const project = await mkdtemp(join(tmpdir(), 'mailroom-cli-'));
  t.teardown(() => rm(project, { recursive: true, force: true }));
  await cp('rules/default.json', join(project, 'rules/default.json'));
  const emulator = await startEmulator({ port: 0, stateDir: join(project, '.mailroom/emulator'), tenant: testTenant(), latencyMs });
  t.teardown(() => emulator.close());
  await mkdir(join(project, 'schedules'));
  await writeFile(join(project, 'schedules/test.json'), JSON.stringify({
    connections: [{ name: 'local', tenantId, clientId, cloud: 'emulator', credential: { clientSecret: { env: 'LOCAL_SECRET' } } }],
    jobs: [{ name: 'support', type: 'mail', connection: 'local', mailbox: supportMailbox, folder: 'Inbox/Support', postActions: { markRead: true, moveTo: 'Inbox/Processed' } }],
  }));
  const control = emulatorClient(emulator);
  for (let i = 0; i < count; i += 1) {
    await control.deliver(supportMailbox, buildMime({ from: `User ${i} <u${i}@fabrikam.example>`, subject: `Request ${i}`, body: `Help with ${i}.`, messageId: `lock-${i}@fabrikam.example` }), 'Inbox/Support');
  }
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const env = { LOCAL_SECRET: secretValue, MONGODB_URI: db.uri, MAILROOM_DB: db.dbName };
  return { cli: (args) => runCli(args, { cwd: project, env, timeoutMs: 120_000 }), db, project, env };
}

interface StoredRun { _id: string; status: string; startedAt: Date; endedAt: Date | null; counts: Record<string, number> }

function assertNoOverlap(t: ExecutionContext, runs: StoredRun[]): void {
  const sorted = [...runs].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  for (let i = 1; i < sorted.length; i += 1) {
    t.true(sorted[i]!.startedAt.getTime() >= sorted[i - 1]!.endedAt!.getTime(), `run ${sorted[i]!._id} started before ${sorted[i - 1]!._id} ended`);
  }
}

test('three concurrent `jobs run` of one job: one runs, the others say it runs elsewhere and exit 1; counts match the tickets', async (t) => {
  const { cli, db } = await sharedProject(t, 30, 40);
  const [a, b, c] = await Promise.all([cli(['jobs', 'run', 'support', '--json']), cli(['jobs', 'run', 'support', '--json']), cli(['jobs', 'run', 'support', '--json'])]);
  const all = [a!, b!, c!];
  const ran = all.filter((r) => r.code === 0);
  const busy = all.filter((r) => r.code === 1);
  t.is(ran.length + busy.length, 3, all.map((r) => r.stderr).join('\n'));
  t.true(ran.length >= 1);
  for (const r of busy) t.regex(r.stdout, /"code":"JOB_BUSY".*running elsewhere \(run \d{14}-/);
  const runs = await db.store.collection<StoredRun>('job_runs').find({ job: 'support' }).toArray();
  t.is(runs.length, ran.length, 'a refused run leaves no record');
  assertNoOverlap(t, runs);
  const created = runs.reduce((sum, r) => sum + (r.counts.created ?? 0), 0);
  t.is(created, 30);
  t.is(await db.store.collection('tickets').countDocuments({}), 30);
});

test('three concurrent `jobs run --wait` of one job run one after another, never overlapping', async (t) => {
  const { cli, db } = await sharedProject(t, 20, 40);
  const all = await Promise.all([0, 1, 2].map(() => cli(['jobs', 'run', 'support', '--wait', '--json'])));
  t.deepEqual(all.map((r) => r.code), [0, 0, 0], all.map((r) => r.stderr).join('\n'));
  const runs = await db.store.collection<StoredRun>('job_runs').find({ job: 'support' }).toArray();
  t.is(runs.length, 3);
  assertNoOverlap(t, runs);
  t.is(runs.reduce((sum, r) => sum + (r.counts.created ?? 0), 0), 20);
  t.is(await db.store.collection('tickets').countDocuments({}), 20);
});

test('a run whose process was killed shows as interrupted once its lock lapsed, and prune removes it', async (t) => {
  const { db, project, env } = await sharedProject(t, 40, 100);
  // The start of a run is a debug line (the summary at its end is the info one).
  const running = startCli(['jobs', 'run', 'support'], { cwd: project, env: { ...env, MAILROOM_JOB_LOCK_SECONDS: '3', LOG_LEVEL: 'debug' } });
  t.teardown(() => void running.child.kill('SIGKILL'));
  await running.waitForLine(/"message":"job support started"/);
  running.child.kill('SIGKILL');
  await running.exited;
  const lock = await db.store.collection<JobLockDoc>('job_locks').findOne({ _id: 'support' });
  t.truthy(lock, 'the killed run left its lease behind');
  const before = createJobResults(db.store, () => new Date(lock!.until.getTime() - 1));
  t.is((await before.list({ job: 'support' }))[0]?.status, 'running', 'while the lease lasts the run may still be alive');
  const after = createJobResults(db.store, () => new Date(lock!.until.getTime() + 1));
  const [run] = await after.list({ job: 'support' });
  t.is(run?.status, 'interrupted');
  t.is(run?.error?.code, 'JOB_ABORTED');
  const stored = await db.store.collection<StoredRun>('job_runs').findOne({ _id: run!._id });
  t.is(stored?.status, 'interrupted', 'stored so, not only shown');
  const pruned = await runCli(['jobs', 'prune', '--older-than', '0', '--json'], { cwd: project, env });
  t.like(JSON.parse(pruned.stdout), { runs: 1 });
});
