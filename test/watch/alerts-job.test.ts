import test from 'ava';
import { listActiveAlerts } from '../../src/watch/index.ts';
import { adminAddress, alertsJob, notifyJob, startAlertsWorld, testJob } from './alerts-world.ts';

const header = (mail: { headers: { name: string; value: string }[] }, name: string): string | undefined =>
  mail.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

test('a job failing 3 runs in a row is mailed once through the outbox, not again while it lasts, and once more when it recovers', async (t) => {
  const world = await startAlertsWorld();
  t.teardown(() => world.close());
  // The mail job reads a folder that does not exist: every run fails with GRAPH_FOLDER_NOT_FOUND.
  const broken = world.app([testJob({ folder: 'Inbox/Nowhere' }), notifyJob, alertsJob()]);

  for (let i = 0; i < 2; i += 1) t.is((await broken.runJobNow('support')).status, 'failed');
  const early = await broken.runJobNow('alerts');
  t.is(early.status, 'succeeded', JSON.stringify(early.error));
  t.is(early.counts.fired ?? 0, 0, 'two failures are not yet an alert');

  world.clock.advance(5 * 60_000);
  const third = await broken.runJobNow('support');
  t.is(third.error?.code, 'GRAPH_FOLDER_NOT_FOUND');
  const fired = await broken.runJobNow('alerts');
  t.is(fired.counts.fired, 1);
  t.is(fired.counts.queued, 1);
  const active = await listActiveAlerts(world.db.store);
  t.deepEqual(active.map((a) => [a.key, a.severity, a.mailed]), [['job-failing:support', 'critical', true]]);

  const sentRun = await broken.runJobNow('notify');
  t.is(sentRun.counts.sent, 1, JSON.stringify(sentRun.items));
  const [first] = await world.sent();
  t.truthy(first);
  t.deepEqual(first!.to.map((r) => r.emailAddress.address), [adminAddress]);
  t.regex(first!.subject, /support failed its last 3 runs \(GRAPH_FOLDER_NOT_FOUND/);
  t.is(header(first!, 'Auto-Submitted'), 'auto-generated');
  t.is(header(first!, 'X-Auto-Response-Suppress'), 'All');
  // It belongs to no ticket, so a reply to it must not be threaded into one.
  t.is(await world.db.store.collection('known_messages').countDocuments({}), 0);

  // Still failing, evaluated again and again and no reminders by default: nothing more is mailed.
  for (let i = 0; i < 3; i += 1) {
    world.clock.advance(30 * 60_000);
    t.is((await broken.runJobNow('support')).status, 'failed');
    const again = await broken.runJobNow('alerts');
    t.is((again.counts.fired ?? 0) + (again.counts.reminder ?? 0) + (again.counts.queued ?? 0), 0, JSON.stringify(again.counts));
    await broken.runJobNow('notify');
  }
  t.is((await world.sent()).length, 1);

  // Fixed in schedules/: the next run succeeds and the alert clears with one "recovered" mail, threaded to the first.
  const fixed = world.app([testJob(), notifyJob, alertsJob()]);
  world.clock.advance(5 * 60_000);
  t.is((await fixed.runJobNow('support')).status, 'succeeded');
  const recovered = await fixed.runJobNow('alerts');
  t.is(recovered.counts.recovered, 1);
  t.is(recovered.counts.queued, 1);
  await fixed.runJobNow('notify');
  const sent = await world.sent();
  t.is(sent.length, 2);
  t.regex(sent[1]!.subject, /^\[Mailroom\] Recovered: job support failed its last 3 runs/);
  t.is(header(sent[1]!, 'In-Reply-To'), first!.internetMessageId);
  t.deepEqual(await listActiveAlerts(world.db.store), []);

  world.clock.advance(5 * 60_000);
  const quiet = await fixed.runJobNow('alerts');
  t.is(quiet.counts.queued ?? 0, 0);
  await fixed.runJobNow('notify');
  t.is((await world.sent()).length, 2);
});
