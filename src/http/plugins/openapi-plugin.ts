import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';

export const apiPrefix = '/api/v1';

/**
 * The OpenAPI 3.1 document is generated from the route schemas (the same ones that validate requests and answers).
 * Only /api/v1 routes appear in it; console pages and sign-in redirects are not part of the API.
 */
export async function registerOpenApi(fastify: FastifyInstance, version: string): Promise<void> {
  await fastify.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Mailroom API', version, description: 'Tickets, jobs and their runs, connections and notifications of a Mailroom installation. Errors: {error: {code, message, hint, details}}.' },
      components: {
        securitySchemes: {
          apiToken: { type: 'http', scheme: 'bearer', description: 'An API token from `mailroom api-tokens create`.' },
          session: { type: 'apiKey', in: 'cookie', name: 'mailroom_session', description: 'A console sign-in; state-changing requests also need the x-csrf-token header.' },
        },
      },
      security: [{ apiToken: [] }, { session: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transform: ({ schema, url }) => {
      const hide = !url.startsWith(apiPrefix) || url === `${apiPrefix}/openapi.json`;
      return { schema: (hide ? { ...schema, hide: true } : schema) as typeof schema, url };
    },
  });
}
