import { createOutbox, type OutboxEntry, type OutboxStatus } from '../../notify/index.ts';
import { errorResponses } from '../schemas/error-schema.ts';
import type { RouteGroup } from '../route-group.ts';

const statuses = ['pending', 'sending', 'sent', 'failed', 'suppressed'] as const;

const entrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'ticketNumber', 'rule', 'to', 'subject', 'status', 'reason', 'attempts', 'lastError', 'internetMessageId', 'createdAt', 'sentAt'],
  properties: {
    id: { type: 'string' }, ticketNumber: { type: 'integer' }, rule: { type: 'string' }, to: { type: 'string' }, subject: { type: 'string' },
    status: { enum: statuses }, reason: { type: ['string', 'null'], description: 'Why it was suppressed.' }, attempts: { type: 'integer' },
    lastError: { type: ['object', 'null'], additionalProperties: false, required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
    internetMessageId: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, sentAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

function entryJson(e: OutboxEntry): Record<string, unknown> {
  return {
    id: e._id, ticketNumber: e.ticketNumber, rule: e.rule, to: e.to, subject: e.subject, status: e.status, reason: e.reason, attempts: e.attempts,
    lastError: e.lastError, internetMessageId: e.internetMessageId, createdAt: e.createdAt, sentAt: e.sentAt,
  };
}

/** The notifications outbox: what was decided to go out, and how it went. */
export const notificationsRoutes: RouteGroup = {
  name: 'notifications',
  prefix: '/api/v1/notifications',
  register(fastify, { host }) {
    fastify.get<{ Querystring: { status?: OutboxStatus; ticket?: number; limit?: number } }>('/', {
      config: { access: 'notifications:read' },
      schema: {
        summary: 'The outbox, newest first', tags: ['notifications'],
        querystring: { type: 'object', additionalProperties: false, properties: { status: { enum: statuses }, ticket: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } } },
        response: { 200: { type: 'object', additionalProperties: false, required: ['notifications'], properties: { notifications: { type: 'array', items: entrySchema } } }, ...errorResponses(400, 401, 403) },
      },
    }, async (request) => {
      const q = request.query;
      const list = await createOutbox(host.store, host.clock).list({ ...(q.status ? { status: q.status } : {}), ...(q.ticket !== undefined ? { ticketNumber: q.ticket } : {}), limit: q.limit ?? 50 });
      return { notifications: list.map(entryJson) };
    });
  },
};
