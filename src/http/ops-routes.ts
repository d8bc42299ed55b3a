import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics/index.ts';
import { checkReadiness, type ReadinessCheck } from '../watch/index.ts';

export interface OpsRoutesDeps {
  metrics: Metrics;
  /** Named checks for /readyz, e.g. `createReadinessChecks(app.store, scheduler)`: database and scheduler. */
  readiness: Record<string, ReadinessCheck>;
}

/**
 * Probes and metrics for monitors: `/healthz` answers while the process serves HTTP (liveness, no I/O), `/readyz`
 * 200 only while the database and the scheduler answer (503 with what failed otherwise), `/metrics` the
 * Prometheus text exposition. Unauthenticated, like any probe; put them behind the network, not the console login.
 */
export async function registerOpsRoutes(fastify: FastifyInstance, deps: OpsRoutesDeps): Promise<void> {
  fastify.get('/healthz', {
    schema: { response: { 200: { type: 'object', properties: { status: { const: 'alive' } }, required: ['status'] } } },
  }, async () => ({ status: 'alive' as const }));

  fastify.get('/readyz', async (_request, reply) => {
    const report = await checkReadiness(deps.readiness);
    return reply.code(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not-ready', checks: report.checks });
  });

  fastify.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.render();
    return reply.type(deps.metrics.contentType).send(text);
  });
}
