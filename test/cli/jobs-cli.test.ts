import test from 'ava';
import { cp, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { emulatorClient } from '../helpers/emulator-client.ts';
import { clientId, secretValue, supportMailbox, tenantId, testTenant } from '../helpers/mail-world.ts';
import { runCli } from '../helpers/run-cli.ts';

// The CLI as a user runs it: a project folder, `mailroom emulator` state in .mailroom/emulator, the real binary.
test('jobs run, results, show, list, disable and tickets show work through the binary', async (t) => {
  const project = await mkdtemp(join(tmpdir(), 'mailroom-cli-'));
  t.teardown(() => rm(project, { recursive: true, force: true }));
  await cp('rules/default.json', join(project, 'rules/default.json'));
  const emulator = await startEmulator({ port: 0, stateDir: join(project, '.mailroom/emulator'), tenant: testTenant() });
  t.teardown(() => emulator.close());
  await mkdir(join(project, 'schedules'));
  await writeFile(join(project, 'schedules/test.json'), JSON.stringify({
    connections: [{ name: 'local', tenantId, clientId, cloud: 'emulator', credential: { clientSecret: { env: 'LOCAL_SECRET' } } }],
    jobs: [{ name: 'support', type: 'mail', connection: 'local', mailbox: supportMailbox, folder: 'Inbox/Support' }],
  }));
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
