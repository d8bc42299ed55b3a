import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../core/index.ts';
import type { MailroomConfig } from '../config/load-config.ts';
import { collectionNames, withStoreErrors, type Store } from '../store/index.ts';
import { createPushStore } from '../push/index.ts';
import { listActiveAlerts, readCredentialExpiry } from '../watch/index.ts';
import type { ProcessTraffic } from './create-process-traffic.ts';
import { createRunTally, type EndedRun } from './create-run-tally.ts';

export interface MetricsDeps {
  store: Store;
  config: MailroomConfig;
  clock: Clock;
  traffic: ProcessTraffic;
}

export interface Metrics {
  readonly registry: Registry;
  readonly contentType: string;
  /** The Prometheus text exposition, read from the database and this process's counters now. */
  render(): Promise<string>;
}

/** Every way a mail ends in a run (README, "Outcomes"); `seen` is their sum and not repeated. */
const mailOutcomes = ['created', 'updated', 'ignored', 'duplicate', 'failed', 'quarantined', 'gone', 'deferred', 'skipped'];
const outboxStatuses = ['pending', 'sending', 'sent', 'failed', 'suppressed', 'bounced'];

/** These counters mirror totals kept elsewhere: each scrape resets them and adds the current totals. */
function trafficMetrics(registry: Registry, traffic: ProcessTraffic): void {
  const registers = [registry];
  new Counter({
    name: 'mailroom_graph_requests_total', help: 'HTTP requests this process sent to Graph (every attempt, every $batch envelope), by connection.', labelNames: ['connection'], registers,
    collect() { this.reset(); for (const [connection, c] of traffic.graph()) this.inc({ connection }, c.requests); },
  });
  new Counter({
    name: 'mailroom_graph_responses_total', help: 'Graph outcomes by HTTP status (batch items included; network/timeout when no response came), by connection.', labelNames: ['connection', 'status'], registers,
    collect() { this.reset(); for (const [connection, c] of traffic.graph()) for (const [status, n] of Object.entries(c.byStatus)) this.inc({ connection, status }, n); },
  });
  new Counter({
    name: 'mailroom_graph_throttled_total', help: 'Graph answers 429 (throttled), by connection.', labelNames: ['connection'], registers,
    collect() { this.reset(); for (const [connection, c] of traffic.graph()) this.inc({ connection }, c.byStatus['429'] ?? 0); },
  });
  new Counter({
    name: 'mailroom_token_acquisitions_total', help: 'Token requests this process sent to the sign-in service (cache hits excluded), by connection.', labelNames: ['connection'], registers,
    collect() { this.reset(); for (const [connection, n] of traffic.tokenRequests()) this.inc({ connection }, n); },
  });
}

/**
 * The /metrics registry. What the database stores (runs, mail outcomes, run durations, outbox, alerts, expiries)
 * is read on scrape, so any process serving it reports the work of every worker; Graph requests and token
 * acquisitions are this process's own (no table has them).
 */
export function createMetrics(deps: MetricsDeps): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const runs = new Counter({ name: 'mailroom_job_runs_total', help: 'Finished job runs by job, type and status.', labelNames: ['job', 'type', 'status'], registers });
  const outcomes = new Counter({ name: 'mailroom_mail_outcomes_total', help: 'Mails by the outcome their run recorded, by mail job.', labelNames: ['job', 'outcome'], registers });
  const duration = new Histogram({
    name: 'mailroom_job_run_duration_seconds', help: 'How long finished job runs took.', labelNames: ['job', 'type'], registers,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800],
  });
  const outbox = new Gauge({ name: 'mailroom_outbox_entries', help: 'Outbox entries by status (depth: pending + sending).', labelNames: ['status'], registers });
  const credentials = new Gauge({ name: 'mailroom_credential_expiry_seconds', help: 'Seconds until each connection\'s client secret or certificate expires (negative: expired).', labelNames: ['connection', 'kind'], registers });
  const subscriptions = new Gauge({ name: 'mailroom_subscription_expiry_seconds', help: 'Seconds until each job\'s Graph push subscription expires.', labelNames: ['job', 'subscription'], registers });
  const alerts = new Gauge({ name: 'mailroom_alerts_active', help: 'Active alerts by type and severity.', labelNames: ['type', 'severity'], registers });
  trafficMetrics(registry, deps.traffic);
  const tally = createRunTally(deps.store);

  const onRun = (run: EndedRun): void => {
    runs.inc({ job: run.job, type: run.type, status: run.status });
    duration.observe({ job: run.job, type: run.type }, Math.max(0, (run.endedAt.getTime() - run.startedAt.getTime()) / 1000));
    if (run.type !== 'mail') return;
    for (const outcome of mailOutcomes) if ((run.counts[outcome] ?? 0) > 0) outcomes.inc({ job: run.job, outcome }, run.counts[outcome]);
  };

  async function readStored(): Promise<void> {
    await tally(onRun);
    const now = deps.clock().getTime();
    const entries = deps.store.collection<{ status: string }>(collectionNames.outbox);
    for (const status of outboxStatuses) outbox.set({ status }, await withStoreErrors('count outbox', () => entries.countDocuments({ status })));
    credentials.reset();
    for (const connection of deps.config.connections) {
      const expiry = await readCredentialExpiry(connection, deps.config.root);
      if (expiry.expiresAt) credentials.set({ connection: connection.name, kind: expiry.kind }, Math.round((expiry.expiresAt.getTime() - now) / 1000));
    }
    subscriptions.reset();
    for (const state of await createPushStore(deps.store).list()) {
      if (state.status !== 'off' && state.expiresAt) subscriptions.set({ job: state.job, subscription: state._id }, Math.round((state.expiresAt.getTime() - now) / 1000));
    }
    alerts.reset();
    for (const alert of await listActiveAlerts(deps.store)) alerts.inc({ type: alert.type, severity: alert.severity });
  }

  // One scrape at a time: the run tally must not read the same runs twice concurrently.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    registry,
    contentType: registry.contentType,
    render() {
      const next = queue.then(async () => {
        await readStored();
        return registry.metrics();
      });
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
