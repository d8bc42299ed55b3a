import test from 'ava';
import { withAlertsDefaults } from '../../src/config/alerts-job-defaults.ts';
import { testJob } from '../helpers/mail-world.ts';
import { startApiWorld } from '../http/helpers/api-world.ts';

test('GET /api/v1/alerts lists the active alerts for a token with jobs:read, and refuses one without', async (t) => {
  const api = await startApiWorld({
    jobs: () => [testJob({ folder: 'Inbox/Nowhere' }), withAlertsDefaults({ name: 'alerts', type: 'alerts', connection: 'test' }, 'schedules/test.json')],
  });
  t.teardown(() => api.close());
  for (let i = 0; i < 3; i += 1) t.is((await api.app.runJobNow('support')).status, 'failed');
  t.is((await api.app.runJobNow('alerts')).counts.fired, 1);

  const reader = await api.token('monitor', ['jobs:read']);
  const listed = await api.call('GET', '/api/v1/alerts', { token: reader });
  t.is(listed.status, 200, listed.text);
  const { alerts } = listed.json as { alerts: { key: string; severity: string; mailed: boolean; since: string }[] };
  t.deepEqual(alerts.map((a) => [a.key, a.severity, a.mailed]), [['job-failing:support', 'critical', false]]);
  t.false(Number.isNaN(Date.parse(alerts[0]!.since)));

  const other = await api.token('tickets-only', ['tickets:read']);
  t.is((await api.call('GET', '/api/v1/alerts', { token: other })).status, 403);
  t.is((await api.call('GET', '/api/v1/alerts')).status, 401);
  const openapi = (await api.call('GET', '/api/v1/openapi.json')).json as { paths: Record<string, unknown> };
  t.truthy(openapi.paths['/api/v1/alerts/'] ?? openapi.paths['/api/v1/alerts']);
});
