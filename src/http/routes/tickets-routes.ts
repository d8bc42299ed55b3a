import { AppError } from '../../core/index.ts';
import { searchTickets, type TicketChange, type TicketPriority, type TicketStatus } from '../../tickets/index.ts';
import { errorResponses } from '../schemas/error-schema.ts';
import { ticketJson, ticketNumberParams, ticketPriorities, ticketStatuses } from '../schemas/ticket-schemas.ts';
import type { RouteGroup } from '../route-group.ts';

interface ListQuery {
  status?: TicketStatus[];
  assignee?: string;
  group?: string;
  requester?: string;
  text?: string;
  createdAfter?: string;
  createdBefore?: string;
  cursor?: string;
  limit?: number;
}

interface PatchBody {
  status?: TicketStatus;
  priority?: TicketPriority;
  assignee?: string | null;
  group?: string | null;
  dueAt?: string | null;
  fields?: Record<string, unknown>;
}

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'array', items: { enum: ticketStatuses }, description: 'One or more statuses (repeat the parameter).' },
    assignee: { type: 'string', minLength: 1 },
    group: { type: 'string', minLength: 1 },
    requester: { type: 'string', minLength: 1, description: 'The requester\'s address (case-insensitive).' },
    text: { type: 'string', minLength: 1, maxLength: 200, description: 'Words that must all appear in the subject or description.' },
    createdAfter: { type: 'string', format: 'date-time' },
    createdBefore: { type: 'string', format: 'date-time' },
    cursor: { type: 'string', minLength: 1, maxLength: 200, description: 'nextCursor of the previous page.' },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  },
} as const;

const patchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    status: { enum: ticketStatuses },
    priority: { enum: ticketPriorities },
    assignee: { type: ['string', 'null'], minLength: 1, maxLength: 320, description: 'Who works on it (an address or a name); null unassigns.' },
    group: { type: ['string', 'null'], minLength: 1, maxLength: 200 },
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    fields: {
      type: 'object',
      maxProperties: 50,
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_-]{0,63}$' },
      additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
      description: 'Custom fields to set; null removes one.',
    },
  },
} as const;

/** Tickets: search, read, and change (each change records its ticket event, so notification rules fire). */
export const ticketsRoutes: RouteGroup = {
  name: 'tickets',
  prefix: '/api/v1/tickets',
  register(fastify, { host }) {
    fastify.get<{ Querystring: ListQuery }>('/', {
      config: { access: 'tickets:read' },
      schema: {
        summary: 'Search tickets, newest first', tags: ['tickets'], querystring: listQuery,
        response: {
          200: { type: 'object', additionalProperties: false, required: ['tickets', 'nextCursor'], properties: { tickets: { type: 'array', items: { $ref: 'Ticket#' } }, nextCursor: { type: ['string', 'null'] } } },
          ...errorResponses(400, 401, 403),
        },
      },
    }, async (request) => {
      const q = request.query;
      const page = await searchTickets(host.store, {
        ...(q.status ? { status: q.status } : {}),
        ...(q.assignee !== undefined ? { assignee: q.assignee } : {}),
        ...(q.group !== undefined ? { group: q.group } : {}),
        ...(q.requester !== undefined ? { requester: q.requester } : {}),
        ...(q.text !== undefined ? { text: q.text } : {}),
        ...(q.createdAfter ? { createdAfter: new Date(q.createdAfter) } : {}),
        ...(q.createdBefore ? { createdBefore: new Date(q.createdBefore) } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
      });
      return { tickets: page.tickets.map(ticketJson), nextCursor: page.nextCursor };
    });

    fastify.get<{ Params: { number: number } }>('/:number', {
      config: { access: 'tickets:read' },
      schema: { summary: 'One ticket', tags: ['tickets'], params: ticketNumberParams, response: { 200: { $ref: 'Ticket#' }, ...errorResponses(400, 401, 403, 404) } },
    }, async (request) => ticketJson(await host.tickets.getTicket(request.params.number)));

    fastify.patch<{ Params: { number: number }; Body: PatchBody }>('/:number', {
      config: { access: 'tickets:write' },
      schema: {
        summary: 'Change status, priority, assignee, group, due date or custom fields',
        description: 'Records a ticket event per change (assigned, status changed, due date changed), which notification rules and webhooks react to.',
        tags: ['tickets'], params: ticketNumberParams, body: patchBody,
        response: { 200: { $ref: 'Ticket#' }, ...errorResponses(400, 401, 403, 404) },
      },
    }, async (request) => ticketJson(await host.tickets.updateTicket(request.params.number, toChange(request.body))));
  },
};

/** The body as a ticket change; dates are parsed here (the schema checked their format). */
export function toChange(body: PatchBody): TicketChange {
  const change: TicketChange = {};
  if (body.status !== undefined) change.status = body.status;
  if (body.priority !== undefined) change.priority = body.priority;
  if (body.assignee !== undefined) change.assignee = body.assignee;
  if (body.group !== undefined) change.group = body.group;
  if (body.dueAt !== undefined) {
    const due = body.dueAt === null ? null : new Date(body.dueAt);
    if (due && Number.isNaN(due.getTime())) throw new AppError('API_REQUEST_INVALID', 'field /dueAt is not a date-time', { details: { in: 'body', pointer: '/dueAt' } });
    change.dueAt = due;
  }
  if (body.fields !== undefined) change.fields = body.fields;
  return change;
}
