import { AppError } from '../../core/index.ts';
import { addAgentComment } from '../../notify/index.ts';
import { errorResponses } from '../schemas/error-schema.ts';
import { commentJson, ticketNumberParams } from '../schemas/ticket-schemas.ts';
import type { RouteGroup } from '../route-group.ts';

const replySchema = {
  type: ['object', 'null'],
  additionalProperties: false,
  required: ['to', 'subject', 'status', 'internetMessageId'],
  properties: { to: { type: 'string' }, subject: { type: 'string' }, status: { type: 'string' }, internetMessageId: { type: 'string' } },
} as const;

/** A ticket's comments; people add theirs, optionally mailed to the requester as a threaded reply. */
export const commentsRoutes: RouteGroup = {
  name: 'comments',
  prefix: '/api/v1/tickets',
  register(fastify, { host }) {
    fastify.get<{ Params: { number: number } }>('/:number/comments', {
      config: { access: 'tickets:read' },
      schema: {
        summary: 'A ticket\'s comments, oldest first', tags: ['tickets'], params: ticketNumberParams,
        response: { 200: { type: 'object', additionalProperties: false, required: ['comments'], properties: { comments: { type: 'array', items: { $ref: 'Comment#' } } } }, ...errorResponses(400, 401, 403, 404) },
      },
    }, async (request) => {
      await host.tickets.getTicket(request.params.number);
      return { comments: (await host.tickets.listComments(request.params.number)).map(commentJson) };
    });

    fastify.post<{ Params: { number: number }; Body: { body: string; sendToRequester?: boolean }; Headers: { 'idempotency-key'?: string } }>('/:number/comments', {
      config: { access: 'tickets:write' },
      schema: {
        summary: 'Add a comment; with sendToRequester it is also mailed to the requester as a reply',
        description: 'The reply goes through the notifications outbox (sent by the notifications job, once). Send an Idempotency-Key header to make a retried request add and send nothing twice.',
        tags: ['tickets'], params: ticketNumberParams,
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } } },
        body: { type: 'object', additionalProperties: false, required: ['body'], properties: { body: { type: 'string', minLength: 1, maxLength: 100_000 }, sendToRequester: { type: 'boolean', default: false } } },
        response: {
          200: { description: 'The same comment was added before (same Idempotency-Key).', type: 'object', additionalProperties: false, required: ['comment', 'reply'], properties: { comment: { $ref: 'Comment#' }, reply: replySchema } },
          201: { type: 'object', additionalProperties: false, required: ['comment', 'reply'], properties: { comment: { $ref: 'Comment#' }, reply: replySchema } },
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    }, async (request, reply) => {
      const p = request.principal;
      if (p.kind === 'anonymous') throw new AppError('API_UNAUTHORIZED', 'sign in first');
      const author = p.kind === 'session' ? { address: p.name, name: p.displayName } : { address: `token:${p.name}`, name: p.name };
      const result = await addAgentComment(
        { store: host.store, clock: host.clock, tickets: host.tickets, jobs: host.config.jobs },
        {
          ticketNumber: request.params.number, body: request.body.body, author, sendToRequester: request.body.sendToRequester ?? false,
          ...(request.headers['idempotency-key'] ? { idempotencyKey: request.headers['idempotency-key'] } : {}),
        },
      );
      const sent = result.reply ? { to: result.reply.to, subject: result.reply.subject, status: result.reply.status, internetMessageId: result.reply.internetMessageId } : null;
      return reply.code(result.created ? 201 : 200).send({ comment: commentJson(result.comment), reply: sent });
    });
  },
};
