import test from 'ava';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSilentLogger } from '../../src/log/index.ts';
import { openAppStore } from '../../src/open-app-store.ts';
import { collectionNames } from '../../src/store/index.ts';
import { startCli } from '../helpers/run-cli.ts';

// The demo's seeded mail is in the folder before the job first connects: backlog, imported but never acknowledged.
// The real `mailroom start` then delivers one mail "live" once the support job has connected, and that one shows the
// whole loop a newcomer expects: a ticket and an acknowledgement sent through Graph.
test('npm start: the seeded mail is backlog (no acknowledgements); the mail that arrives after the job connected gets its ticket and an acknowledgement', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-demo-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  for (const path of ['rules', 'schedules', 'fixtures/tenants', 'fixtures/mail/demo', 'fixtures/calendar']) await cp(path, join(dir, path), { recursive: true });
  const service = startCli(['start', '--grace', '5'], { cwd: dir, env: { MONGODB_URI: '', MAILROOM_HTTP_PORT: '0' } });
  t.teardown(() => void service.child.kill('SIGKILL'));
  await service.waitForLine(/demo: a new mail arrived in support@contoso\.example Inbox\/Support/);
  await service.waitForLine(/"job":"notify".*"sent":1\b|"sent":1\b.*"job":"notify"/);
  service.child.kill('SIGTERM');
  t.is(await service.exited, 0, service.stderr().slice(-2000));

  const store = await openAppStore(dir, { PATH: process.env.PATH, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME }, createSilentLogger());
  t.teardown(() => store.close());
  const outbox = await store.collection<{ to: string; status: string; reason?: string | null }>(collectionNames.outbox).find({}).toArray();
  const sent = outbox.filter((entry) => entry.status === 'sent');
  t.deepEqual(sent.map((entry) => entry.to), ['emma.schmidt@fabrikam.example'], JSON.stringify(outbox.map((e) => [e.to, e.status, e.reason])));
  const backlog = outbox.filter((entry) => entry.status === 'suppressed' && entry.reason === 'backlog');
  t.true(backlog.length >= 10, `the seeded mail's acknowledgements are suppressed as backlog (${backlog.length})`);
});
