import test from 'ava';
import { startTestDatabase } from '../../src/store/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { emulatorClient } from '../helpers/emulator-client.ts';
import { secretValue, supportMailbox } from '../helpers/mail-world.ts';
import { startCliProject } from '../helpers/cli-project.ts';
import { runCli } from '../helpers/run-cli.ts';

test('through the binary: a job with backlog skip shows the skipped backlog in jobs show; jobs resync says the backlog stays skipped, and it does', async (t) => {
  const { project, emulator } = await startCliProject(t, 'backlog-cli', [{ name: 'support', type: 'mail', connection: 'local', mailbox: supportMailbox, folder: 'Inbox/Support', backlog: 'skip' }]);
  const old = buildMime({ from: 'Ann <ann@fabrikam.example>', subject: 'Old question', body: 'From last year.', messageId: 'old-1@fabrikam.example' });
  await emulatorClient(emulator).call('POST', `/_emulator/mailboxes/${encodeURIComponent(supportMailbox)}/messages?folder=Inbox%2FSupport&receivedDateTime=2025-06-01T08:00:00Z`, old, 'message/rfc822');
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  const cli = (args: string[]) => runCli(args, { cwd: project, env: { LOCAL_SECRET: secretValue, MONGODB_URI: db.uri, MAILROOM_DB: db.dbName }, timeoutMs: 120_000 });

  const first = await cli(['jobs', 'run', 'support', '--json']);
  t.is(first.code, 0, first.stderr);
  const record = JSON.parse(first.stdout) as { _id: string; counts: Record<string, number> };
  t.deepEqual(record.counts, { seen: 1, skipped: 1 });
  const shown = (await cli(['jobs', 'show', record._id])).stdout;
  t.regex(shown, /skipped\s+backlog: 1 mail left in the mailbox/);
  t.regex(shown, /note: backlog \(skip; first run \S+\): 1 mail received before/);

  const resync = await cli(['jobs', 'resync', 'support']);
  t.is(resync.code, 0, resync.stderr);
  t.regex(resync.stdout, /reads Inbox\/Support in full/);
  t.regex(resync.stdout, /mail received before \S+ stays skipped as backlog/);
  const again = JSON.parse((await cli(['jobs', 'run', 'support', '--json'])).stdout) as { counts: Record<string, number>; notes: string[] };
  t.deepEqual(again.counts, { seen: 1, skipped: 1 });
  t.true(again.notes.some((n) => n.includes('a resync was requested')), again.notes.join('\n'));
  t.deepEqual(JSON.parse((await cli(['tickets', 'list', '--json'])).stdout), []);
});
