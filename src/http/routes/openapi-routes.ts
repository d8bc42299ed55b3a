import type { RouteGroup } from '../route-group.ts';

export const openApiRoutes: RouteGroup = {
  name: 'openapi',
  prefix: '/api/v1',
  register(fastify) {
    fastify.get('/openapi.json', { config: { access: 'public' } }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(fastify.swagger()));
  },
};
