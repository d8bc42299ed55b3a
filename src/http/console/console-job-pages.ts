import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/index.ts';
import type { MailJobConfig } from '../../config/job-config.ts';
import { createOutbox, createSuppressionList, type OutboxStatus } from '../../notify/index.ts';
import type { RouteContext } from '../route-group.ts';
import { testConnection } from '../test-connection.ts';
import { canWrite, frameFor, sendPage } from './console-page.ts';
import { describeConnections } from './describe-connections.ts';
import { withTicketNumber } from './run-view.ts';

const page = { signInRedirect: true } as const;
const outboxStatuses: readonly OutboxStatus[] = ['pending', 'sending', 'sent', 'failed', 'suppressed', 'bounced'];

function mailJob(host: RouteContext['host'], name: string): MailJobConfig {
  const job = host.findJob(name);
  if (job.type !== 'mail') throw new AppError('API_NOT_FOUND', `job ${name} is a ${job.type} job; only mail jobs quarantine mail`);
  return job;
}

/** Quarantine with replay, the outbox, and connections with their test button. */
export function registerJobPages(fastify: FastifyInstance, context: RouteContext): void {
  const { host } = context;

  fastify.get<{ Params: { name: string } }>('/console/jobs/:name/quarantine', { config: { access: 'jobs:read', ...page } }, async (request, reply) => {
    const job = mailJob(host, request.params.name);
    const mails = await host.quarantine.list(job.name);
    return sendPage(reply, 'quarantine', frameFor(request, reply, `Quarantine of ${job.name}`, 'overview'), { job, mails, maxAttempts: job.limits.maxAttempts, canWrite: canWrite(request, 'quarantine:replay'), result: null });
  });

  fastify.get<{ Params: { name: string }; Querystring: { key?: string; all?: string } }>('/console/jobs/:name/quarantine/confirm', {
    config: { access: 'quarantine:replay', ...page },
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { key: { type: 'string', minLength: 1, maxLength: 1000 }, all: { type: 'string' } } } },
  }, async (request, reply) => {
    const job = mailJob(host, request.params.name);
    const all = await host.quarantine.list(job.name);
    const key = request.query.key ?? null;
    const mails = key ? all.filter((m) => m.key === key) : all;
    if (key && mails.length === 0) throw new AppError('API_CONFLICT', 'that mail is not quarantined (any more)', { hint: 'It may have been replayed already; see the quarantine list.' });
    return sendPage(reply, 'quarantine-confirm', frameFor(request, reply, 'Replay quarantined mail', 'overview'), { job, mails, key });
  });

  fastify.post<{ Params: { name: string }; Body: { key?: string; _csrf?: string } }>('/console/jobs/:name/quarantine/replay', {
    config: { access: 'quarantine:replay' },
    schema: { body: { type: 'object', additionalProperties: false, properties: { key: { type: 'string', minLength: 1, maxLength: 1000 }, _csrf: { type: 'string' } } } },
  }, async (request, reply) => {
    const job = mailJob(host, request.params.name);
    const replayed = await host.quarantine.replay(job.name, request.body.key ?? null);
    const keys = new Set(replayed.replayed.map((r) => r.key));
    const items = replayed.items.filter((i) => keys.has(i.key)).map(withTicketNumber);
    const mails = await host.quarantine.list(job.name);
    return sendPage(reply, 'quarantine', frameFor(request, reply, `Quarantine of ${job.name}`, 'overview'), {
      job, mails, maxAttempts: job.limits.maxAttempts, canWrite: true, result: { replayed: replayed.replayed, run: { id: replayed.run._id }, items },
    });
  });

  fastify.get<{ Querystring: { status?: string; done?: string; failed?: string } }>('/console/notifications', {
    config: { access: 'notifications:read', ...page },
    schema: { querystring: { type: 'object', additionalProperties: false, properties: { status: { type: 'string', enum: ['', ...outboxStatuses] }, done: { type: 'string', maxLength: 500 }, failed: { type: 'string', maxLength: 500 } } } },
  }, async (request, reply) => {
    const status = (request.query.status || '') as OutboxStatus | '';
    const entries = await createOutbox(host.store, host.clock).list({ ...(status ? { status } : {}), limit: 200 });
    const suppressed = await createSuppressionList(host.store, host.clock).list();
    return sendPage(reply, 'notifications', frameFor(request, reply, 'Notifications', 'notifications'), { entries, statuses: outboxStatuses, status, suppressed, canLift: canWrite(request, 'tickets:write') });
  });

  // Lifting a suppression: the same scope as the API's DELETE …/suppressions/{address} (an agent's fix), asked once more on a page of its own.
  fastify.get<{ Querystring: { address: string } }>('/console/notifications/suppressions/confirm', {
    config: { access: 'tickets:write', ...page },
    schema: { querystring: { type: 'object', additionalProperties: false, required: ['address'], properties: { address: { type: 'string', minLength: 3, maxLength: 320 } } } },
  }, async (request, reply) => {
    const entry = await createSuppressionList(host.store, host.clock).find(request.query.address);
    if (!entry) return reply.redirect(`/console/notifications?failed=${encodeURIComponent(`${request.query.address} is not suppressed (any more): nothing to lift.`)}`, 303);
    return sendPage(reply, 'suppression-confirm', frameFor(request, reply, 'Lift a suppression', 'notifications'), { entry });
  });

  fastify.post<{ Body: { address: string; _csrf?: string } }>('/console/notifications/suppressions/lift', {
    config: { access: 'tickets:write' },
    schema: { body: { type: 'object', additionalProperties: false, required: ['address'], properties: { address: { type: 'string', minLength: 3, maxLength: 320 }, _csrf: { type: 'string' } } } },
  }, async (request, reply) => {
    let lifted;
    try {
      lifted = await createSuppressionList(host.store, host.clock).lift(request.body.address);
    } catch (error) {
      // Lifted meanwhile (another tab, the CLI): say so on the list instead of an error page.
      if (!(error instanceof AppError) || error.code !== 'NOTIFY_NOT_SUPPRESSED') throw error;
      return reply.redirect(`/console/notifications?failed=${encodeURIComponent(`${request.body.address} is not suppressed (any more): nothing was lifted.`)}`, 303);
    }
    const who = request.principal.kind === 'session' ? `user:${request.principal.name}` : request.principal.kind === 'token' ? `token:${request.principal.name}` : 'anonymous';
    host.logger.info(`suppression of ${lifted._id} lifted in the console by ${who}`, { requestId: request.id });
    const text = `Lifted: ${lifted._id} is mailed again (its hard bounces count from zero). Notifications suppressed before stay suppressed.`;
    return reply.redirect(`/console/notifications?done=${encodeURIComponent(text)}`, 303);
  });

  fastify.get('/console/connections', { config: { access: 'jobs:read', ...page } }, async (request, reply) => {
    return sendPage(reply, 'connections', frameFor(request, reply, 'Connections', 'connections'), { connections: describeConnections(host.config, host.clock()), canTest: canWrite(request, 'connections:test'), report: null });
  });

  fastify.post<{ Params: { name: string }; Body: { _csrf?: string } }>('/console/connections/:name/test', {
    config: { access: 'connections:test' },
    schema: { body: { type: 'object', additionalProperties: false, properties: { _csrf: { type: 'string' } } } },
  }, async (request, reply) => {
    const report = await testConnection(host, request.params.name);
    return sendPage(reply, 'connections', frameFor(request, reply, 'Connections', 'connections'), { connections: describeConnections(host.config, host.clock()), canTest: true, report });
  });
}
