import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import type { ConnectionConfig } from '../../src/config/connection-config.ts';
import { collectionNames } from '../../src/store/index.ts';
import { listActiveAlerts } from '../../src/watch/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { supportMailbox, testConnection } from '../helpers/mail-world.ts';
import { alertsJob, startAlertsWorld, testJob } from './alerts-world.ts';

test('a delegated connection nobody signed in to is an alert; a stored sign-in clears it', async (t) => {
  const world = await startAlertsWorld();
  t.teardown(() => world.close());
  const delegated: ConnectionConfig = { ...testConnection(world.emulator), delegated: { enabled: true } };
  const app = world.app([testJob(), alertsJob()], [delegated]);

  t.is((await app.runJobNow('alerts')).counts.fired, 1);
  const [alert] = await listActiveAlerts(world.db.store);
  t.is(alert!.key, 'delegated-sign-in:test');
  t.is(alert!.severity, 'critical');
  t.regex(alert!.hint, /mailroom connection sign-in test/);

  // What `mailroom connection sign-in` leaves behind: the connection's encrypted MSAL cache in token_cache.
  await world.db.store.collection<{ _id: string; value: string; updatedAt: Date }>(collectionNames.tokenCache)
    .insertOne({ _id: 'msal:test', value: 'v1:opaque', updatedAt: world.clock() });
  world.clock.advance(60_000);
  t.is((await app.runJobNow('alerts')).counts.recovered, 1);
  t.deepEqual(await listActiveAlerts(world.db.store), []);
});

test('mail quarantined by a job past the threshold within the window is an alert, which clears once the window passes', async (t) => {
  const world = await startAlertsWorld();
  t.teardown(() => world.close());
  await mkdir(join(world.dir, 'rules'));
  const poison = join(world.dir, 'rules/poison.json');
  await writeFile(poison, JSON.stringify({
    name: 'poison', preprocess: [],
    rules: [{ name: 'explode', when: "$error('cannot handle this mail')", action: 'ignore' }],
  }));
  const job = testJob({ rules: 'poison', limits: { messagesPerRun: 100, attachmentMaxBytes: 1_000_000, maxAttempts: 1 } });
  const app = world.app([job, alertsJob({ rules: { quarantine: { threshold: 2, window: '1 hour' }, jobSilent: { enabled: false } } })], undefined, { ruleSets: { poison }, root: world.dir });
  for (const id of ['p1', 'p2']) {
    await world.control.deliver(supportMailbox, buildMime({ from: 'a@fabrikam.example', subject: `Bad ${id}`, body: 'x', messageId: `${id}@x` }), 'Inbox/Support');
  }
  const run = await app.runJobNow('support');
  t.is(run.counts.quarantined, 2, JSON.stringify([run.status, run.counts, run.error]));

  t.is((await app.runJobNow('alerts')).counts.fired, 1);
  const [alert] = await listActiveAlerts(world.db.store);
  t.is(alert!.key, 'quarantine-growing:support');
  t.regex(alert!.summary, /job support quarantined 2 mails within 1 hour/);

  world.clock.advance(2 * 3_600_000);
  t.is((await app.runJobNow('alerts')).counts.recovered, 1);
});
