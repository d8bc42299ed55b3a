import test from 'ava';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { createMetrics } from '../../src/metrics/index.ts';
import { createOutbox } from '../../src/notify/index.ts';
import { createPushStore } from '../../src/push/index.ts';
import { listActiveAlerts } from '../../src/watch/index.ts';
import { alertsJob, startAlertsWorld, testJob } from './alerts-world.ts';

test('a push subscription whose upkeep keeps failing fires one alert and clears when renewed; /metrics shows its expiry', async (t) => {
  const world = await startAlertsWorld();
  t.teardown(() => world.close());
  const app = world.app([testJob(), alertsJob({ rules: { jobSilent: { enabled: false } } })]);
  // What the push upkeep of the mail job's runs records (src/push/keep-subscription.ts).
  const push = createPushStore(world.db.store);
  const expiresAt = new Date(world.clock().getTime() + 3 * 86_400_000);
  await push.save('support', 'support', { status: 'active', subscriptionId: 'sub-1', watch: 'support@contoso.example / Inbox/Support', expiresAt, failuresInRow: 0 });

  t.is((await app.runJobNow('alerts')).counts.fired ?? 0, 0);
  const metrics = createMetrics({ store: app.store, config: app.config, clock: app.clock, traffic: app.traffic });
  const family = parsePrometheusTextFormat(await metrics.render()).find((f) => f.name === 'mailroom_subscription_expiry_seconds');
  t.deepEqual(family?.metrics, [{ labels: { job: 'support', subscription: 'support' }, value: String(3 * 86_400) }]);

  const failure = { code: 'GRAPH_BAD_REQUEST', message: 'Subscription validation request failed', at: world.clock() };
  await push.save('support', 'support', { status: 'failing', lastError: failure, failuresInRow: 1 });
  t.is((await app.runJobNow('alerts')).counts.fired ?? 0, 0, 'one failed upkeep is retried by the next run, not yet an alert');
  await push.save('support', 'support', { status: 'failing', lastError: failure, failuresInRow: 2 });
  t.is((await app.runJobNow('alerts')).counts.fired, 1);
  const [alert] = await listActiveAlerts(world.db.store);
  t.is(alert!.key, 'push-subscription:support');
  t.regex(alert!.summary, /job support for support@contoso.example \/ Inbox\/Support cannot be kept: 2 failures in a row \(GRAPH_BAD_REQUEST/);

  world.clock.advance(60_000);
  await push.save('support', 'support', { status: 'active', lastError: null, failuresInRow: 0, expiresAt });
  t.is((await app.runJobNow('alerts')).counts.recovered, 1);
  const mails = await createOutbox(world.db.store, world.clock).list();
  t.deepEqual(mails.map((m) => m.rule), ['alert.push-subscription', 'alert.push-subscription']);
});
