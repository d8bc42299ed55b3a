import { AppError } from '../../core/index.ts';
import type { JobRunStatus } from '../../jobs/index.ts';
import { errorResponses } from '../schemas/error-schema.ts';
import { jobNameParams, jobRunItemJson, jobRunJson } from '../schemas/job-schemas.ts';
import type { RouteGroup } from '../route-group.ts';

const runStatuses = ['running', 'succeeded', 'partial', 'failed', 'aborted'] as const;
const runIdParams = { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 100 } } } as const;

function decodeCursor(cursor: string): Date {
  const at = new Date(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (Number.isNaN(at.getTime())) throw new AppError('API_REQUEST_INVALID', 'query parameter cursor is not a cursor from a previous page', { details: { in: 'querystring', pointer: '/cursor' } });
  return at;
}

/** Job runs and their per-item lines, paged. */
export const runsRoutes: RouteGroup = {
  name: 'runs',
  prefix: '/api/v1',
  register(fastify, { host }) {
    fastify.get<{ Params: { name: string }; Querystring: { status?: JobRunStatus; cursor?: string; limit?: number } }>('/jobs/:name/runs', {
      config: { access: 'jobs:read' },
      schema: {
        summary: 'A job\'s runs, newest first', tags: ['jobs'], params: jobNameParams,
        querystring: { type: 'object', additionalProperties: false, properties: { status: { enum: runStatuses }, cursor: { type: 'string', minLength: 1, maxLength: 100 }, limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 } } },
        response: { 200: { type: 'object', additionalProperties: false, required: ['runs', 'nextCursor'], properties: { runs: { type: 'array', items: { $ref: 'JobRun#' } }, nextCursor: { type: ['string', 'null'] } } }, ...errorResponses(400, 401, 403, 404) },
      },
    }, async (request) => {
      host.findJob(request.params.name);
      const limit = request.query.limit ?? 20;
      const runs = await host.results.list({
        job: request.params.name, limit: limit + 1,
        ...(request.query.status ? { status: request.query.status } : {}),
        ...(request.query.cursor ? { before: decodeCursor(request.query.cursor) } : {}),
      });
      const page = runs.slice(0, limit);
      const last = page[page.length - 1];
      return { runs: page.map(jobRunJson), nextCursor: runs.length > limit && last ? Buffer.from(last.startedAt.toISOString(), 'utf8').toString('base64url') : null };
    });

    fastify.get<{ Params: { id: string } }>('/runs/:id', {
      config: { access: 'jobs:read' },
      schema: { summary: 'One run with its counts (its lines: /runs/{id}/items)', tags: ['jobs'], params: runIdParams, response: { 200: { $ref: 'JobRun#' }, ...errorResponses(401, 403, 404) } },
    }, async (request) => {
      const { items: _items, ...run } = await host.results.get(request.params.id);
      return jobRunJson(run);
    });

    fastify.get<{ Params: { id: string }; Querystring: { offset?: number; limit?: number; outcome?: string } }>('/runs/:id/items', {
      config: { access: 'jobs:read' },
      schema: {
        summary: 'A run\'s lines (one per message, event or notification), in the order they happened', tags: ['jobs'], params: runIdParams,
        querystring: { type: 'object', additionalProperties: false, properties: { offset: { type: 'integer', minimum: 0, default: 0 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, outcome: { type: 'string', minLength: 1 } } },
        response: {
          200: { type: 'object', additionalProperties: false, required: ['items', 'total', 'nextOffset'], properties: { items: { type: 'array', items: { $ref: 'JobRunItem#' } }, total: { type: 'integer' }, nextOffset: { type: ['integer', 'null'] } } },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    }, async (request) => {
      const run = await host.results.get(request.params.id);
      const all = request.query.outcome ? run.items.filter((i) => i.outcome === request.query.outcome) : run.items;
      const offset = request.query.offset ?? 0;
      const limit = request.query.limit ?? 100;
      const items = all.slice(offset, offset + limit);
      return { items: items.map(jobRunItemJson), total: all.length, nextOffset: offset + limit < all.length ? offset + limit : null };
    });
  },
};
