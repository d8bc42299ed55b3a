import test from 'ava';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { emulatorClient } from '../helpers/emulator-client.ts';
import { clientId, secretValue, tenantId, testTenant } from '../helpers/mail-world.ts';
import { runCli, startCli } from '../helpers/run-cli.ts';

const mailboxes = ['desk1@contoso.example', 'desk2@contoso.example', 'desk3@contoso.example', 'desk4@contoso.example'];

/** A project with one mail job on each of four mailboxes, each with mail waiting (the emulator slows every call). */
async function project(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-conc-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await cp('rules/default.json', join(dir, 'rules/default.json'));
  const base = testTenant();
  const folders = [{ path: 'Inbox/Support' }, { path: 'Inbox/Processed' }, { path: 'Inbox/Failed' }];
  const users = mailboxes.map((upn, i) => ({ id: `5a1e0c55-0000-4000-8000-0000000d000${i}`, userPrincipalName: upn, mail: upn, displayName: `Desk ${i}`, mailbox: { folders } }));
  const emulator = await startEmulator({ port: 0, stateDir: join(dir, '.mailroom/emulator'), tenant: { ...base, users: [...base.users, ...users] }, latencyMs: 40 });
  t.teardown(() => emulator.close());
  await mkdir(join(dir, 'schedules'));
  await writeFile(join(dir, 'schedules/desks.json'), JSON.stringify({
    connections: [{ name: 'local', tenantId, clientId, cloud: 'emulator', credential: { clientSecret: { env: 'LOCAL_SECRET' } } }],
    jobs: mailboxes.map((mailbox, i) => ({ name: `desk-${i}`, type: 'mail', connection: 'local', mailbox, folder: 'Inbox/Support', schedule: '1 hour', backlog: 'import', postActions: { markRead: true, moveTo: 'Inbox/Processed' } })),
  }));
  const control = emulatorClient(emulator);
  for (const [i, mailbox] of mailboxes.entries()) {
    for (let m = 0; m < 6; m += 1) {
      await control.deliver(mailbox, buildMime({ from: `User ${m} <u${m}@fabrikam.example>`, subject: `Request ${i}-${m}`, body: 'Please help.', messageId: `conc-${i}-${m}@fabrikam.example` }), 'Inbox/Support');
    }
  }
  return dir;
}

for (const bad of ['0', 'many', '1000']) {
  test(`mailroom worker --concurrency ${bad} is refused with exit 2 before anything starts`, async (t) => {
    const result = await runCli(['worker', '--concurrency', bad], { cwd: process.cwd(), env: { MONGODB_URI: 'mongodb://127.0.0.1:1/never' } });
    t.is(result.code, 2, result.stderr);
    t.true(result.stderr.includes(`--concurrency must be a whole number of jobs from 1 to 256, not "${bad}"`), result.stderr);
  });
}

test('the real `mailroom worker --concurrency 2` runs two of four due jobs at a time', async (t) => {
  const dir = await project(t);
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const worker = startCli(['worker', '--concurrency', '2'], { cwd: dir, env: { LOCAL_SECRET: secretValue, MONGODB_URI: db.uri, MAILROOM_DB: db.dbName, MAILROOM_DEMO: '0' } });
  t.teardown(() => void worker.child.kill('SIGKILL'));
  const started = await worker.waitForLine(/"message":"worker .* started"/);
  t.regex(started, /"concurrency":2/);
  for (let i = 0; i < mailboxes.length; i += 1) await worker.waitForLine(new RegExp(`"message":"job desk-${i} succeeded"`));
  worker.child.kill('SIGTERM');
  t.is(await worker.exited, 0, worker.stderr().slice(-2000));
  const runs = await db.store.collection<{ startedAt: Date; endedAt: Date; counts: { created?: number } }>('job_runs').find({}).toArray();
  t.is(runs.length, 4);
  t.true(runs.every((r) => r.counts.created === 6));
  // At each run's start, how many runs were going (itself included).
  const overlap = runs.map((r) => runs.filter((o) => o.startedAt <= r.startedAt && o.endedAt > r.startedAt).length);
  t.is(Math.max(...overlap), 2, `runs going at each start: ${overlap.join(', ')}`);
});
