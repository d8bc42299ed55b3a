import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/index.ts';
import { searchTickets, type TicketStatus } from '../../tickets/index.ts';
import type { RouteContext } from '../route-group.ts';
import { toChange } from '../routes/tickets-routes.ts';
import { canWrite, frameFor, sendPage } from './console-page.ts';

const statuses: readonly TicketStatus[] = ['new', 'open', 'pending', 'resolved', 'closed'];
const page = { signInRedirect: true } as const;

interface TicketQuery { text?: string; status?: string; assignee?: string; requester?: string; cursor?: string; done?: string; failed?: string }

/** Tickets: search and filter, one ticket with its comments and files, and the assign / status form (the API's service code). */
export function registerTicketPages(fastify: FastifyInstance, { host }: RouteContext): void {
  fastify.get<{ Querystring: TicketQuery }>('/console/tickets', {
    config: { access: 'tickets:read', ...page },
    schema: {
      querystring: {
        type: 'object', additionalProperties: false,
        properties: { text: { type: 'string', maxLength: 200 }, status: { type: 'string', enum: ['', ...statuses] }, assignee: { type: 'string', maxLength: 320 }, requester: { type: 'string', maxLength: 320 }, cursor: { type: 'string', maxLength: 100 }, done: { type: 'string' }, failed: { type: 'string' } },
      },
    },
  }, async (request, reply) => {
    const q = request.query;
    const filters = {
      ...(q.text ? { text: q.text } : {}),
      ...(q.status ? { status: [q.status as TicketStatus] } : {}),
      ...(q.assignee ? { assignee: q.assignee } : {}),
      ...(q.requester ? { requester: q.requester } : {}),
    };
    const result = await searchTickets(host.store, { ...filters, ...(q.cursor ? { cursor: q.cursor } : {}), limit: 50 });
    const next = new URLSearchParams({ ...(q.text ? { text: q.text } : {}), ...(q.status ? { status: q.status } : {}), ...(q.assignee ? { assignee: q.assignee } : {}), ...(q.requester ? { requester: q.requester } : {}), ...(result.nextCursor ? { cursor: result.nextCursor } : {}) });
    return sendPage(reply, 'tickets', frameFor(request, reply, 'Tickets', 'tickets'), {
      tickets: result.tickets, nextCursor: result.nextCursor, nextUrl: `/console/tickets?${next.toString()}`, statuses, query: q, filtered: Object.keys(filters).length > 0,
    });
  });

  fastify.get<{ Params: { number: number }; Querystring: { done?: string; failed?: string } }>('/console/tickets/:number', {
    config: { access: 'tickets:read', ...page },
    schema: { params: { type: 'object', required: ['number'], properties: { number: { type: 'integer', minimum: 1 } } } },
  }, async (request, reply) => {
    const ticket = await host.tickets.getTicket(request.params.number);
    const comments = await host.tickets.listComments(ticket.number);
    return sendPage(reply, 'ticket', frameFor(request, reply, `Ticket ${ticket.number}`, 'tickets'), { ticket, comments, statuses, canWrite: canWrite(request, 'tickets:write') });
  });

  fastify.post<{ Params: { number: number }; Body: { assignee?: string; status?: TicketStatus; _csrf?: string } }>('/console/tickets/:number', {
    config: { access: 'tickets:write' },
    schema: {
      params: { type: 'object', required: ['number'], properties: { number: { type: 'integer', minimum: 1 } } },
      body: {
        type: 'object', additionalProperties: false,
        properties: { assignee: { type: 'string', maxLength: 320 }, status: { type: 'string', enum: [...statuses] }, _csrf: { type: 'string' } },
      },
    },
  }, async (request, reply) => {
    const before = await host.tickets.getTicket(request.params.number);
    const assignee = (request.body.assignee ?? '').trim();
    if (assignee !== '' && !/^[^\s@]+@[^\s@]+$/.test(assignee)) {
      throw new AppError('API_REQUEST_INVALID', `"${assignee}" is not a mail address`, { details: { in: 'body', pointer: '/assignee' }, hint: 'Give the assignee as a mail address, or leave the field empty to unassign.' });
    }
    const wanted = toChange({
      ...(assignee !== (before.assignee ?? '') ? { assignee: assignee === '' ? null : assignee } : {}),
      ...(request.body.status && request.body.status !== before.status ? { status: request.body.status } : {}),
    });
    if (Object.keys(wanted).length > 0) await host.tickets.updateTicket(before.number, wanted);
    const what = Object.keys(wanted).length === 0 ? 'Nothing changed.' : `Saved: ${Object.keys(wanted).join(' and ')} changed.`;
    return reply.redirect(`/console/tickets/${before.number}?done=${encodeURIComponent(what)}`, 303);
  });
}
