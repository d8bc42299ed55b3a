import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../log/index.ts';
import { principalLabel } from '../principal.ts';

/**
 * One line per request with its id, who made it and how it ended. The path is logged without its query string,
 * which can carry a one-time sign-in token or an authorization code; headers and cookies are never logged.
 */
export function registerRequestLog(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    logger.info(`http ${request.method} ${request.url.split('?')[0] ?? ''} ${reply.statusCode}`, {
      requestId: request.id,
      who: principalLabel(request.principal),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    });
  });
}
