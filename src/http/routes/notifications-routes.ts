import { createOutbox, createSuppressionList, type DeliveryReportRecord, type OutboxEntry, type OutboxStatus, type SuppressedAddress } from '../../notify/index.ts';
import { createWebhookQueue, redeliverWebhooks } from '../../notify/webhooks/index.ts';
import { errorResponses } from '../schemas/error-schema.ts';
import type { RouteGroup } from '../route-group.ts';

const statuses = ['pending', 'sending', 'sent', 'failed', 'suppressed', 'bounced'] as const;

const reportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action', 'status', 'recipient', 'diagnostic', 'permanent', 'reporter', 'reportedAt'],
  properties: {
    action: { enum: ['failed', 'delayed'] }, status: { type: ['string', 'null'], description: 'RFC 3463 status, e.g. 5.1.10.' }, recipient: { type: 'string' },
    diagnostic: { type: ['string', 'null'] }, permanent: { type: 'boolean', description: 'A hard bounce (5.x.x): counts towards suppressing the address.' },
    reporter: { type: ['string', 'null'] }, reportedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const suppressionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['address', 'hardBounces', 'lastBounce', 'suppressedAt', 'liftedAt'],
  properties: {
    address: { type: 'string' }, hardBounces: { type: 'integer', description: 'Distinct notifications that hard-bounced since the last lift.' },
    lastBounce: {
      type: ['object', 'null'], additionalProperties: false, required: ['notificationId', 'status', 'diagnostic', 'at'],
      properties: { notificationId: { type: 'string' }, status: { type: ['string', 'null'] }, diagnostic: { type: ['string', 'null'] }, at: { type: 'string', format: 'date-time' } },
    },
    suppressedAt: { type: ['string', 'null'], format: 'date-time' }, liftedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

const entrySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'ticketNumber', 'rule', 'to', 'subject', 'status', 'reason', 'attempts', 'lastError', 'internetMessageId', 'createdAt', 'sentAt', 'bounce', 'deliveryReports'],
  properties: {
    id: { type: 'string' }, ticketNumber: { type: 'integer' }, rule: { type: 'string' }, to: { type: 'string' }, subject: { type: 'string' },
    status: { enum: statuses }, reason: { type: ['string', 'null'], description: 'Why it was suppressed.' }, attempts: { type: 'integer' },
    lastError: { type: ['object', 'null'], additionalProperties: false, required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
    internetMessageId: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, sentAt: { type: ['string', 'null'], format: 'date-time' },
    bounce: { anyOf: [{ type: 'null' }, reportSchema], description: 'The failure report that made it bounced.' },
    deliveryReports: { type: 'array', items: reportSchema, description: 'Every delivery report received for it (failures and delays), oldest first.' },
  },
} as const;

function reportJson(r: DeliveryReportRecord): Record<string, unknown> {
  return { action: r.action, status: r.status, recipient: r.recipient, diagnostic: r.diagnostic, permanent: r.permanent, reporter: r.reporter, reportedAt: r.reportedAt };
}

function suppressionJson(s: SuppressedAddress): Record<string, unknown> {
  return { address: s._id, hardBounces: s.hardBounces.length, lastBounce: s.lastBounce, suppressedAt: s.suppressedAt, liftedAt: s.liftedAt };
}

function entryJson(e: OutboxEntry): Record<string, unknown> {
  return {
    id: e._id, ticketNumber: e.ticketNumber, rule: e.rule, to: e.to, subject: e.subject, status: e.status, reason: e.reason, attempts: e.attempts,
    lastError: e.lastError, internetMessageId: e.internetMessageId, createdAt: e.createdAt, sentAt: e.sentAt,
    bounce: e.bounce ? reportJson(e.bounce) : null, deliveryReports: (e.deliveryReports ?? []).map(reportJson),
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

    fastify.get('/suppressions', {
      config: { access: 'notifications:read' },
      schema: {
        summary: 'Addresses not mailed after repeated hard bounces, newest first', tags: ['notifications'],
        response: { 200: { type: 'object', additionalProperties: false, required: ['suppressions'], properties: { suppressions: { type: 'array', items: suppressionSchema } } }, ...errorResponses(401, 403) },
      },
    }, async () => ({ suppressions: (await createSuppressionList(host.store, host.clock).list()).map(suppressionJson) }));

    // Lifting is an agent's fix (the requester's address was corrected), hence the tickets scope; it sends nothing itself.
    fastify.delete<{ Params: { address: string } }>('/suppressions/:address', {
      config: { access: 'tickets:write' },
      schema: {
        summary: 'Mail an address again (its hard bounces count from zero)', description: '404 NOTIFY_NOT_SUPPRESSED when the address is not suppressed. Notifications suppressed before stay suppressed.', tags: ['notifications'],
        params: { type: 'object', additionalProperties: false, required: ['address'], properties: { address: { type: 'string', minLength: 3, maxLength: 320 } } },
        response: { 200: { type: 'object', additionalProperties: false, required: ['lifted'], properties: { lifted: suppressionSchema } }, ...errorResponses(400, 401, 403, 404) },
      },
    }, async (request) => ({ lifted: suppressionJson(await createSuppressionList(host.store, host.clock).lift(request.params.address)) }));

    fastify.get('/webhooks/failed', {
      config: { access: 'notifications:read' },
      schema: {
        summary: 'Webhook targets with events they did not accept in all their attempts (the alert webhook-failing)', tags: ['notifications'],
        response: {
          200: {
            type: 'object', additionalProperties: false, required: ['targets'],
            properties: {
              targets: {
                type: 'array',
                items: {
                  type: 'object', additionalProperties: false, required: ['target', 'failed', 'lastError', 'lastAttemptAt'],
                  properties: {
                    target: { type: 'string' }, failed: { type: 'integer', description: 'Events given up on.' }, lastAttemptAt: { type: 'string', format: 'date-time' },
                    lastError: { type: ['object', 'null'], additionalProperties: false, required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
                  },
                },
              },
            },
          },
          ...errorResponses(401, 403),
        },
      },
    }, async () => ({ targets: await createWebhookQueue(host.store, host.clock).failedByTarget() }));

    fastify.post<{ Params: { target: string } }>('/webhooks/:target/redeliver', {
      config: { access: 'jobs:manage' },
      schema: {
        summary: 'Queue again the events a webhook target did not accept, once it is fixed', description: 'The notifications job delivers them on its next run, with their webhook-id. 400 USAGE for a target not in http.webhooks.', tags: ['notifications'],
        params: { type: 'object', additionalProperties: false, required: ['target'], properties: { target: { type: 'string', minLength: 1, maxLength: 200 } } },
        response: { 200: { type: 'object', additionalProperties: false, required: ['target', 'queued'], properties: { target: { type: 'string' }, queued: { type: 'integer' } } }, ...errorResponses(400, 401, 403) },
      },
    }, async (request) => ({ target: request.params.target, queued: await redeliverWebhooks(host.store, host.clock, host.config.http?.webhooks ?? [], request.params.target) }));
  },
};
