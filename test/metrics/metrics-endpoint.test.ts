import test from 'ava';
import Fastify from 'fastify';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { registerOpsRoutes } from '../../src/http/ops-routes.ts';
import { createMetrics } from '../../src/metrics/index.ts';
import { createScheduler } from '../../src/scheduler/index.ts';
import { createReadinessChecks } from '../../src/watch/index.ts';
import { buildMime } from '../helpers/build-mime.ts';
import { supportMailbox, testConnection } from '../helpers/mail-world.ts';
import { startTestDatabase } from '../../src/store/index.ts';
import { startAlertsWorld, testJob } from '../watch/alerts-world.ts';

function sample(families: ParsedFamily[], name: string, labels: Record<string, string>): number | undefined {
  const family = families.find((f) => f.name === name);
  const found = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (!found) return undefined;
  return Number(found.value ?? found.count);
}

test('/metrics parses as Prometheus text and its counters move with a mail run; /healthz and /readyz answer', async (t) => {
  const world = await startAlertsWorld();
  t.teardown(() => world.close());
  const connection = { ...testConnection(world.emulator), secretExpiresAt: '2026-12-20' };
  const app = world.app([testJob()], [connection]);
  const server = Fastify();
  t.teardown(() => server.close());
  await registerOpsRoutes(server, {
    metrics: createMetrics({ store: app.store, config: app.config, clock: app.clock, traffic: app.traffic }),
    readiness: createReadinessChecks(app.store, createScheduler(app)),
  });
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  const scrape = async (): Promise<ParsedFamily[]> => {
    const response = await fetch(`${address}/metrics`);
    t.is(response.status, 200);
    t.regex(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parsePrometheusTextFormat(await response.text());
  };

  const before = await scrape();
  t.is(sample(before, 'mailroom_job_runs_total', { job: 'support', status: 'succeeded' }), undefined);
  // 30 days until the end of 2026-12-20 (UTC) from the test clock's 2026-11-20T09:00Z.
  t.is(sample(before, 'mailroom_credential_expiry_seconds', { connection: 'test', kind: 'client secret' }), 30 * 86_400 + 14 * 3600 + 3599);

  await world.control.deliver(supportMailbox, buildMime({ from: 'ann@fabrikam.example', subject: 'Printer jammed', body: 'Again.', messageId: 'metrics-1@fabrikam.example' }), 'Inbox/Support');
  const run = await app.runJobNow('support');
  t.is(run.status, 'succeeded', JSON.stringify(run.error));
  t.is(run.counts.created, 1);

  const after = await scrape();
  t.is(sample(after, 'mailroom_job_runs_total', { job: 'support', type: 'mail', status: 'succeeded' }), 1);
  t.is(sample(after, 'mailroom_mail_outcomes_total', { job: 'support', outcome: 'created' }), 1);
  // The parser folds a labelled histogram's buckets into one map (its known limit); one job ran, so +Inf is its count.
  const histogram = after.find((f) => f.name === 'mailroom_job_run_duration_seconds');
  t.is(histogram?.type, 'HISTOGRAM');
  t.is(histogram?.metrics[0]?.buckets?.['+Inf'], '1', 'one observation in the duration histogram');
  t.true((sample(after, 'mailroom_graph_requests_total', { connection: 'test' }) ?? 0) >= run.graph.requests, 'every request of the run is counted');
  t.true((sample(after, 'mailroom_graph_responses_total', { connection: 'test', status: '200' }) ?? 0) > 0);
  t.is(sample(after, 'mailroom_token_acquisitions_total', { connection: 'test' }), 1);
  t.is(sample(after, 'mailroom_outbox_entries', { status: 'pending' }), 0);

  // A second scrape without new runs counts nothing twice; a second run moves the counter by one.
  t.is(sample(await scrape(), 'mailroom_job_runs_total', { job: 'support', status: 'succeeded' }), 1);
  await app.runJobNow('support');
  t.is(sample(await scrape(), 'mailroom_job_runs_total', { job: 'support', status: 'succeeded' }), 2);

  const alive = await fetch(`${address}/healthz`);
  t.deepEqual([alive.status, await alive.json()], [200, { status: 'alive' }]);
  const ready = await fetch(`${address}/readyz`);
  t.deepEqual([ready.status, await ready.json()], [200, { status: 'ready', checks: { database: { ok: true }, scheduler: { ok: true } } }]);
});

test('/readyz answers 503 naming the check that failed when the database is gone', async (t) => {
  const db = await startTestDatabase();
  await db.drop();
  const server = Fastify();
  t.teardown(() => server.close());
  await registerOpsRoutes(server, {
    metrics: { registry: null as never, contentType: 'text/plain', render: async () => '' },
    readiness: { ...createReadinessChecks(db.store, null), scheduler: async () => undefined },
  });
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  const response = await fetch(`${address}/readyz`);
  t.is(response.status, 503);
  const body = (await response.json()) as { status: string; checks: Record<string, { ok: boolean; error?: { code: string } }> };
  t.is(body.status, 'not-ready');
  t.false(body.checks.database!.ok);
  t.truthy(body.checks.database!.error?.code);
  t.true(body.checks.scheduler!.ok);
});
