import type { FastifyInstance } from 'fastify';
import { createMetrics, createProcessTraffic, type Metrics } from '../metrics/index.ts';
import { describeJobs } from '../scheduler/index.ts';
import { checkReadiness, createReadinessChecks, listActiveAlerts, type ReadinessCheck } from '../watch/index.ts';
import type { RouteGroup } from './route-group.ts';
import { errorResponses } from './schemas/error-schema.ts';

export interface OpsRoutesDeps {
  metrics: Metrics;
  /** Named checks for /readyz: the database and the scheduler. */
  readiness: Record<string, ReadinessCheck>;
}

const publicRoute = { config: { access: 'public' as const } };

/**
 * Probes and metrics for monitors: `/healthz` answers while the process serves HTTP (liveness, no I/O), `/readyz`
 * 200 only while the database and the scheduler answer (503 with what failed otherwise), `/metrics` the
 * Prometheus text exposition. Public, as probes and scrapers carry no sign-in: keep the port off the internet or
 * filter these paths at the proxy.
 */
export function registerOpsRoutes(fastify: FastifyInstance, deps: OpsRoutesDeps): void {
  fastify.get('/healthz', {
    ...publicRoute,
    schema: { response: { 200: { type: 'object', properties: { status: { const: 'alive' } }, required: ['status'] } } },
  }, async () => ({ status: 'alive' as const }));

  fastify.get('/readyz', publicRoute, async (_request, reply) => {
    const report = await checkReadiness(deps.readiness);
    return reply.code(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not-ready', checks: report.checks });
  });

  fastify.get('/metrics', publicRoute, async (_request, reply) => {
    const text = await deps.metrics.render();
    return reply.type(deps.metrics.contentType).send(text);
  });
}

/**
 * The ops endpoints as a route group of the server. The scheduler counts as reachable when its entries and the
 * jobs' leases can be read (what every worker reads); Graph and token counts are this process's (`host.traffic`).
 */
export const opsRoutes: RouteGroup = {
  name: 'ops',
  prefix: '',
  register(fastify, { host }) {
    registerOpsRoutes(fastify, {
      metrics: createMetrics({ store: host.store, config: host.config, clock: host.clock, traffic: host.traffic ?? createProcessTraffic() }),
      readiness: createReadinessChecks(host.store, async () => void (await describeJobs(host))),
    });
  },
};

const alertSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'type', 'severity', 'subject', 'summary', 'hint', 'since', 'lastSeenAt', 'mailed'],
  properties: {
    key: { type: 'string', description: '`<type>:<subject>`, stable while the condition lasts.' },
    type: { enum: ['job-failing', 'job-silent', 'credential-expiry', 'delegated-sign-in', 'push-subscription', 'quarantine-growing', 'recipient-suppressed', 'webhook-failing'] },
    severity: { enum: ['warning', 'critical'] },
    subject: { type: 'string', description: 'The job, connection or subscription it is about.' },
    summary: { type: 'string' }, hint: { type: 'string' },
    since: { type: 'string', format: 'date-time' }, lastSeenAt: { type: 'string', format: 'date-time' },
    mailed: { type: 'boolean', description: 'Whether the administrators were mailed about it.' },
  },
} as const;

/** The active alerts as of the latest alerts run (the console's banner reads the same list). */
export const alertsRoutes: RouteGroup = {
  name: 'alerts',
  prefix: '/api/v1/alerts',
  register(fastify, { host }) {
    fastify.get('/', {
      config: { access: 'jobs:read' },
      schema: {
        summary: 'Active alerts, critical first', tags: ['alerts'],
        response: { 200: { type: 'object', additionalProperties: false, required: ['alerts'], properties: { alerts: { type: 'array', items: alertSchema } } }, ...errorResponses(401, 403) },
      },
    }, async () => ({ alerts: await listActiveAlerts(host.store) }));
  },
};
