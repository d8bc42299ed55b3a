import test from 'ava';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { createMetrics } from '../../src/metrics/index.ts';
import { createOutbox } from '../../src/notify/index.ts';
import { listActiveAlerts, reportPushSubscription } from '../../src/watch/index.ts';
import { alertsJob, startAlertsWorld } from './alerts-world.ts';

test('a push subscription reported as not kept fires one alert, a later report that it is kept clears it; /metrics shows its expiry', async (t) => {
  const world = await startAlertsWorld();
  t.teardown(() => world.close());
  const app = world.app([alertsJob()]);
  const resource = "/users/support@contoso.example/mailFolders('inbox')/messages";
  const expiresAt = new Date(world.clock().getTime() + 3 * 86_400_000);

  await reportPushSubscription(world.db.store, { id: 'sub-1', resource, expiresAt, kept: true, job: 'support' }, world.clock());
  t.is((await app.runJobNow('alerts')).counts.fired ?? 0, 0);
  const metrics = createMetrics({ store: app.store, config: app.config, clock: app.clock, traffic: app.traffic });
  const family = parsePrometheusTextFormat(await metrics.render()).find((f) => f.name === 'mailroom_subscription_expiry_seconds');
  t.deepEqual(family?.metrics, [{ labels: { subscription: 'sub-1' }, value: String(3 * 86_400) }]);

  await reportPushSubscription(world.db.store, { id: 'sub-1', resource, expiresAt: null, kept: false, job: 'support', problem: { code: 'GRAPH_NOT_FOUND', message: 'subscription not found' } }, world.clock());
  const fired = await app.runJobNow('alerts');
  t.is(fired.counts.fired, 1);
  const [alert] = await listActiveAlerts(world.db.store);
  t.is(alert!.key, 'push-subscription:sub-1');
  t.regex(alert!.summary, /cannot be kept \(GRAPH_NOT_FOUND: subscription not found\)/);

  world.clock.advance(60_000);
  await reportPushSubscription(world.db.store, { id: 'sub-1', resource, expiresAt, kept: true, job: 'support' }, world.clock());
  t.is((await app.runJobNow('alerts')).counts.recovered, 1);
  const mails = await createOutbox(world.db.store, world.clock).list();
  t.deepEqual(mails.map((m) => m.rule).sort(), ['alert.push-subscription', 'alert.push-subscription']);
});
