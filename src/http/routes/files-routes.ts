import { AppError } from '../../core/index.ts';
import { findObject, openStoredFile, type StoredFileDownload } from '../../tickets/index.ts';
import { errorResponses } from '../schemas/error-schema.ts';
import { sendDownload } from '../send-download.ts';
import type { RouteGroup } from '../route-group.ts';

const fileIdParam = { type: 'string', pattern: '^[0-9a-fA-F]{24}$', description: 'An attachment\'s fileId.' } as const;
const numberParam = { type: 'integer', minimum: 1 } as const;
const download = (what: string) => ({ 200: { description: `${what} (streamed, Content-Disposition: attachment)`, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }, ...errorResponses(400, 401, 403, 404) });

function found(file: StoredFileDownload | null, what: string): StoredFileDownload {
  if (!file) throw new AppError('API_NOT_FOUND', `${what} is not stored`, { hint: 'Attachments over the size cap are listed but not stored (see the attachment\'s "skipped").' });
  return file;
}

/** Downloads streamed from GridFS: attachments and the raw MIME of the mail behind a ticket, comment or object. */
export const filesRoutes: RouteGroup = {
  name: 'files',
  prefix: '/api/v1',
  register(fastify, { host }) {
    fastify.get<{ Params: { number: number; fileId: string } }>('/tickets/:number/attachments/:fileId', {
      config: { access: 'tickets:read' },
      schema: { summary: 'Download an attachment of a ticket or of one of its comments', tags: ['files'], params: { type: 'object', additionalProperties: false, required: ['number', 'fileId'], properties: { number: numberParam, fileId: fileIdParam } }, response: download('The attachment') },
    }, async (request, reply) => {
      const ticket = await host.tickets.getTicket(request.params.number);
      let file = await openStoredFile(host.store, ticket, { attachment: request.params.fileId });
      if (!file) {
        for (const comment of await host.tickets.listComments(ticket.number)) {
          file = await openStoredFile(host.store, comment, { attachment: request.params.fileId });
          if (file) break;
        }
      }
      return sendDownload(reply, found(file, `attachment ${request.params.fileId} of ticket #${ticket.number}`));
    });

    fastify.get<{ Params: { number: number } }>('/tickets/:number/mime', {
      config: { access: 'tickets:read' },
      schema: { summary: 'Download the raw MIME (.eml) of the mail that created the ticket', tags: ['files'], params: { type: 'object', additionalProperties: false, required: ['number'], properties: { number: numberParam } }, response: download('message/rfc822') },
    }, async (request, reply) => {
      const ticket = await host.tickets.getTicket(request.params.number);
      return sendDownload(reply, found(await openStoredFile(host.store, ticket, { mime: `ticket-${ticket.number}.eml` }), `the mail of ticket #${ticket.number}`));
    });

    fastify.get<{ Params: { number: number; key: string } }>('/tickets/:number/comments/:key/mime', {
      config: { access: 'tickets:read' },
      schema: { summary: 'Download the raw MIME (.eml) of the mail behind a comment', tags: ['files'], params: { type: 'object', additionalProperties: false, required: ['number', 'key'], properties: { number: numberParam, key: { type: 'string', minLength: 1 } } }, response: download('message/rfc822') },
    }, async (request, reply) => {
      const comment = (await host.tickets.listComments(request.params.number)).find((c) => c.key === request.params.key);
      if (!comment) throw new AppError('API_NOT_FOUND', `ticket #${request.params.number} has no comment ${request.params.key}`);
      return sendDownload(reply, found(await openStoredFile(host.store, comment, { mime: `ticket-${request.params.number}-comment.eml` }), 'the mail of this comment'));
    });

    fastify.get<{ Params: { key: string; fileId: string } }>('/objects/:key/attachments/:fileId', {
      config: { access: 'tickets:read' },
      schema: { summary: 'Download an attachment of an object', tags: ['files'], params: { type: 'object', additionalProperties: false, required: ['key', 'fileId'], properties: { key: { type: 'string', minLength: 1 }, fileId: fileIdParam } }, response: download('The attachment') },
    }, async (request, reply) => {
      const object = await findObject(host.store, request.params.key);
      if (!object) throw new AppError('API_NOT_FOUND', `no object ${request.params.key}`);
      return sendDownload(reply, found(await openStoredFile(host.store, object, { attachment: request.params.fileId }), `attachment ${request.params.fileId}`));
    });

    fastify.get<{ Params: { key: string } }>('/objects/:key/mime', {
      config: { access: 'tickets:read' },
      schema: { summary: 'Download the raw MIME (.eml) of the mail that created an object', tags: ['files'], params: { type: 'object', additionalProperties: false, required: ['key'], properties: { key: { type: 'string', minLength: 1 } } }, response: download('message/rfc822') },
    }, async (request, reply) => {
      const object = await findObject(host.store, request.params.key);
      if (!object) throw new AppError('API_NOT_FOUND', `no object ${request.params.key}`);
      return sendDownload(reply, found(await openStoredFile(host.store, object, { mime: `${object.type}.eml` }), 'the mail of this object'));
    });
  },
};
