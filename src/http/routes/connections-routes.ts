import { listPostActionFolders } from '../../mail/connector/index.ts';
import { AppError } from '../../core/index.ts';
import { createMongoTokenCacheStore } from '../../auth/index.ts';
import { runConnectionTest } from '../../graph/connection-test/run-connection-test.ts';
import { errorResponses } from '../schemas/error-schema.ts';
import type { RouteGroup } from '../route-group.ts';

const stepSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['step', 'status', 'reason'],
  properties: {
    step: { type: 'string' }, status: { enum: ['ok', 'warn', 'fail', 'skip'] }, reason: { type: 'string' },
    code: { type: 'string', description: 'The error code behind a failure.' }, hint: { type: 'string', description: 'What to do about it.' },
  },
} as const;

/** Connections (never their secrets) and their test: the same checks as `mailroom connection test`. */
export const connectionsRoutes: RouteGroup = {
  name: 'connections',
  prefix: '/api/v1/connections',
  register(fastify, { host }) {
    fastify.get('/', {
      config: { access: 'jobs:read' },
      schema: {
        summary: 'The configured connections (app registrations), without secrets', tags: ['connections'],
        response: {
          200: {
            type: 'object', additionalProperties: false, required: ['connections'],
            properties: {
              connections: {
                type: 'array',
                items: {
                  type: 'object', additionalProperties: false, required: ['name', 'tenantId', 'clientId', 'cloud', 'credential', 'secretExpiresAt', 'delegated', 'jobs'],
                  properties: {
                    name: { type: 'string' }, tenantId: { type: 'string' }, clientId: { type: 'string' }, cloud: { type: 'string' },
                    credential: { enum: ['client-secret', 'certificate'] }, secretExpiresAt: { type: ['string', 'null'] }, delegated: { type: 'boolean' },
                    jobs: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
            },
          },
          ...errorResponses(401, 403),
        },
      },
    }, async () => ({
      connections: host.config.connections.map((c) => ({
        name: c.name, tenantId: c.tenantId, clientId: c.clientId, cloud: c.cloud ?? 'global',
        credential: 'certificate' in c.credential ? 'certificate' as const : 'client-secret' as const,
        secretExpiresAt: c.secretExpiresAt ?? null, delegated: c.delegated?.enabled === true,
        jobs: host.config.jobs.filter((j) => j.connection === c.name).map((j) => j.name),
      })),
    }));

    fastify.post<{ Params: { name: string }; Body: { mailbox?: string; folder?: string } | undefined }>('/:name/test', {
      config: { access: 'connections:test' },
      schema: {
        summary: 'Test a connection: token, granted roles against the enabled jobs, mailboxes, folders, secret expiry', tags: ['connections'],
        params: { type: 'object', additionalProperties: false, required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
        body: { type: 'object', additionalProperties: false, properties: { mailbox: { type: 'string', minLength: 3 }, folder: { type: 'string', minLength: 1 } } },
        response: {
          200: { type: 'object', additionalProperties: false, required: ['connection', 'ok', 'steps'], properties: { connection: { type: 'string' }, ok: { type: 'boolean' }, steps: { type: 'array', items: stepSchema } } },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    }, async (request) => {
      const connection = host.config.connections.find((c) => c.name === request.params.name);
      if (!connection) throw new AppError('API_NOT_FOUND', `no connection named "${request.params.name}"`, { hint: `Known connections: ${host.config.connections.map((c) => c.name).join(', ') || 'none'}.` });
      const body = request.body ?? {};
      if (body.folder !== undefined && body.mailbox === undefined) throw new AppError('API_REQUEST_INVALID', 'field /folder needs /mailbox', { details: { in: 'body', pointer: '/folder' } });
      const jobs = host.config.jobs.filter((j) => j.enabled && j.connection === connection.name);
      return runConnectionTest(connection, jobs, body, {
        env: host.config.env, baseDir: host.config.root, logger: host.logger, now: host.clock(),
        postActionFolders: (job) => listPostActionFolders(job, host.config.root),
        notificationsOn: (host.config.notificationsFile ?? null) !== null,
        ...(connection.delegated?.enabled === true ? { store: createMongoTokenCacheStore(host.store) } : {}),
      });
    });
  },
};
