import test from 'ava';
import { startTestDatabase } from '../../src/store/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { emulatorClient } from '../helpers/emulator-client.ts';
import { secretValue, supportMailbox } from '../helpers/mail-world.ts';
import { startCliProject } from '../helpers/cli-project.ts';
import { runCli } from '../helpers/run-cli.ts';

interface Row { name: string; backlog: { backlog: string; since: string | null; state: string; firstConnectedAt: string | null; skipsBefore: string | null } | null }

test('jobs list shows each mail job\'s backlog setting, and once it connected, when (the time its skipped backlog was cut at)', async (t) => {
  const { project, emulator } = await startCliProject(t, 'jobs-list-backlog', [
    { name: 'support', type: 'mail', connection: 'local', mailbox: supportMailbox, folder: 'Inbox/Support', backlog: 'skip' },
    { name: 'inbox', type: 'mail', connection: 'local', mailbox: supportMailbox, folder: 'Inbox', since: '2026-11-01' },
    { name: 'notify', type: 'notifications', connection: 'local', mailbox: supportMailbox },
  ]);
  const old = buildMime({ from: 'Ann <ann@fabrikam.example>', subject: 'Old question', body: 'From last year.', messageId: 'old-1@fabrikam.example' });
  await emulatorClient(emulator).call('POST', `/_emulator/mailboxes/${encodeURIComponent(supportMailbox)}/messages?folder=Inbox%2FSupport&receivedDateTime=2025-06-01T08:00:00Z`, old, 'message/rfc822');
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const cli = (args: string[]) => runCli(args, { cwd: project, env: { LOCAL_SECRET: secretValue, MONGODB_URI: db.uri, MAILROOM_DB: db.dbName }, timeoutMs: 120_000 });

  const before = await cli(['jobs', 'list']);
  t.is(before.code, 0, before.stderr);
  const line = (out: string, job: string): string => out.split('\n').find((l) => l.startsWith(`${job} `)) ?? '';
  t.regex(line(before.stdout, 'support'), /skip; not connected yet$/);
  t.regex(line(before.stdout, 'inbox'), /import since 2026-11-01; not connected yet, mail before 2026-11-01 00:00:00 will be left in the mailbox$/);
  t.regex(line(before.stdout, 'notify'), / -$/, 'a notifications job has no backlog');

  const run = JSON.parse((await cli(['jobs', 'run', 'support', '--json'])).stdout) as { notes: string[] };
  // The run's note names the first run it cut at; jobs list shows that same time.
  const firstRun = /first run (\S+)\)/.exec(run.notes.join('\n'))?.[1];
  t.truthy(firstRun, run.notes.join('\n'));
  const after = await cli(['jobs', 'list']);
  t.is(after.code, 0, after.stderr);
  const shown = new Date(firstRun!).toISOString().replace('T', ' ').slice(0, 19);
  t.true(line(after.stdout, 'support').endsWith(`skip; connected ${shown}, mail before ${shown} left in the mailbox`), after.stdout);
  t.regex(after.stdout.split('\n')[0] ?? '', /\bbacklog$/);

  const rows = JSON.parse((await cli(['jobs', 'list', '--json'])).stdout) as Row[];
  t.deepEqual(rows.find((r) => r.name === 'support')?.backlog, { backlog: 'skip', since: null, state: 'connected', firstConnectedAt: firstRun!, skipsBefore: firstRun! });
  t.deepEqual(rows.find((r) => r.name === 'inbox')?.backlog, { backlog: 'import', since: '2026-11-01', state: 'not-connected', firstConnectedAt: null, skipsBefore: '2026-11-01T00:00:00.000Z' });
  t.is(rows.find((r) => r.name === 'notify')?.backlog, null);
});
