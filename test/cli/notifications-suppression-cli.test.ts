import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { systemClock } from '../../src/core/index.ts';
import { createSuppressionList } from '../../src/notify/index.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import { runCli } from '../helpers/run-cli.ts';

test('the binary lists a suppressed address, lifts it (exit 0), and refuses a second lift with NOTIFY_NOT_SUPPRESSED (exit 2)', async (t) => {
  const project = await mkdtemp(join(tmpdir(), 'mailroom-cli-suppressed-'));
  t.teardown(() => rm(project, { recursive: true, force: true }));
  const db = await startTestDatabase();
  t.teardown(() => db.drop());
  await createSuppressionList(db.store, systemClock).recordHardBounce('ann@fabrikam.example', { notificationId: 'n1', status: '5.1.10', diagnostic: '550 5.1.10 RESOLVER.ADR.RecipientNotFound', at: new Date() }, 1);
  const cli = (args: string[]) => runCli(args, { cwd: project, env: { MONGODB_URI: db.uri, MAILROOM_DB: db.dbName }, timeoutMs: 120_000 });

  const listed = await cli(['notifications', 'suppressed', '--json']);
  t.is(listed.code, 0, listed.stderr);
  t.like((JSON.parse(listed.stdout) as unknown[])[0], { address: 'ann@fabrikam.example', hardBounces: ['n1'], lastBounce: { status: '5.1.10' } });
  const lifted = await cli(['notifications', 'unsuppress', 'ann@fabrikam.example']);
  t.is(lifted.code, 0, lifted.stderr);
  t.regex(lifted.stdout, /ann@fabrikam\.example is mailed again/);
  const again = await cli(['notifications', 'unsuppress', 'ann@fabrikam.example']);
  t.is(again.code, 2);
  t.regex(again.stderr, /NOTIFY_NOT_SUPPRESSED/);
  t.regex(again.stderr, /mailroom notifications suppressed/);
});
