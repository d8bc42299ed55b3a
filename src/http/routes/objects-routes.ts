import { AppError } from '../../core/index.ts';
import { findObject, listObjectsPage } from '../../tickets/index.ts';
import { errorResponses } from '../schemas/error-schema.ts';
import { objectJson } from '../schemas/ticket-schemas.ts';
import type { RouteGroup } from '../route-group.ts';

/** Objects other than tickets that rules created (purchase orders, contracts, …), by type. */
export const objectsRoutes: RouteGroup = {
  name: 'objects',
  prefix: '/api/v1/objects',
  register(fastify, { host }) {
    fastify.get<{ Querystring: { type?: string; cursor?: string; limit?: number } }>('/', {
      config: { access: 'tickets:read' },
      schema: {
        summary: 'Objects, newest first, optionally of one type', tags: ['objects'],
        querystring: { type: 'object', additionalProperties: false, properties: { type: { type: 'string', minLength: 1 }, cursor: { type: 'string', minLength: 1, maxLength: 500 }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 } } },
        response: { 200: { type: 'object', additionalProperties: false, required: ['objects', 'nextCursor'], properties: { objects: { type: 'array', items: { $ref: 'StoredObject#' } }, nextCursor: { type: ['string', 'null'] } } }, ...errorResponses(400, 401, 403) },
      },
    }, async (request) => {
      const page = await listObjectsPage(host.store, request.query);
      return { objects: page.objects.map(objectJson), nextCursor: page.nextCursor };
    });

    fastify.get<{ Params: { key: string } }>('/:key', {
      config: { access: 'tickets:read' },
      schema: { summary: 'One object', tags: ['objects'], params: { type: 'object', additionalProperties: false, required: ['key'], properties: { key: { type: 'string', minLength: 1 } } }, response: { 200: { $ref: 'StoredObject#' }, ...errorResponses(401, 403, 404) } },
    }, async (request) => {
      const object = await findObject(host.store, request.params.key);
      if (!object) throw new AppError('API_NOT_FOUND', `no object ${request.params.key}`, { hint: 'List objects with GET /api/v1/objects.' });
      return objectJson(object);
    });
  },
};
