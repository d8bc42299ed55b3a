import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { FastifyError } from 'fastify';
import { AppError, toAppError } from '../../core/index.ts';
import { describeJobs } from '../../scheduler/index.ts';
import { statusForCode } from '../error-status.ts';
import type { RouteGroup } from '../route-group.ts';
import { frameFor, pageAlerts, sendPage } from './console-page.ts';
import { listActiveAlerts } from '../../watch/index.ts';
import { describeConnections } from './describe-connections.ts';
import { describeJobBacklogs } from '../describe-job-backlog.ts';
import { runView, runSummaryView } from './run-view.ts';
import { registerTicketPages } from './console-ticket-pages.ts';
import { registerJobPages } from './console-job-pages.ts';

const assetsDir = fileURLToPath(new URL('./assets/', import.meta.url));
const assetTypes: Record<string, string> = { 'console.css': 'text/css; charset=utf-8', 'console.js': 'text/javascript; charset=utf-8' };
const runStatuses = ['running', 'succeeded', 'partial', 'failed', 'aborted', 'interrupted'] as const;
const page = { signInRedirect: true } as const;

/**
 * The web console: server-rendered pages over the same services as the API and the CLI. Page errors are pages too
 * (what happened, what to do), not JSON.
 */
export const consoleRoutes: RouteGroup = {
  name: 'console',
  prefix: '',
  register(fastify, context) {
    const { host } = context;

    fastify.setErrorHandler(async (raw: FastifyError, request, reply) => {
      const error = raw instanceof AppError ? raw : raw.validation ? new AppError('API_REQUEST_INVALID', raw.message) : raw.statusCode === 403 && raw.code?.startsWith('FST_CSRF')
        ? new AppError('API_CSRF_INVALID', 'this form came without a valid CSRF token', { hint: 'Reload the page and submit the form again.' })
        : toAppError(raw);
      const status = statusForCode(error.code);
      if (status >= 500) host.logger.error(`console ${request.method} ${request.url.split('?')[0] ?? ''}: ${error.code} ${error.message}`, { requestId: request.id });
      const heading = status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : status >= 500 ? 'Something went wrong' : 'That did not work';
      const shown = status >= 500 && error.code === 'INTERNAL' ? new AppError('INTERNAL', 'an unexpected error; the server log has the details', { hint: 'Quote the request id below when you report it.' }) : error;
      return sendPage(reply, 'error', frameFor(request, reply, heading, 'overview'), { heading, error: { code: shown.code, message: shown.message, hint: shown.hint }, requestId: request.id }, status);
    });

    // Every console page shows what needs a person: the alerts of the latest alerts run.
    fastify.addHook('preHandler', async (request) => {
      if (!request.url.startsWith('/console') || request.url.startsWith('/console/assets') || request.principal.kind === 'anonymous') return;
      const alerts = await listActiveAlerts(host.store).catch(() => []);
      pageAlerts.set(request, alerts.map((a) => ({ title: `${a.severity === 'critical' ? 'Critical: ' : ''}${a.summary}`, detail: a.hint })));
    });

    fastify.get('/', { config: { access: 'public' } }, async (_request, reply) => reply.redirect('/console', 303));

    fastify.get<{ Params: { file: string } }>('/console/assets/:file', { config: { access: 'public' } }, async (request, reply) => {
      const type = assetTypes[request.params.file];
      if (!type) throw new AppError('API_NOT_FOUND', `no console asset ${request.params.file}`);
      return reply.type(type).header('cache-control', 'no-cache').send(await readFile(`${assetsDir}${request.params.file}`));
    });

    fastify.get('/console', { config: { access: 'jobs:read', ...page } }, async (request, reply) => {
      const jobs = await describeJobs(host);
      return sendPage(reply, 'overview', frameFor(request, reply, 'Jobs', 'overview'), { jobs, connections: describeConnections(host.config, host.clock()), showPush: jobs.some((j) => j.push !== null) });
    });

    fastify.get<{ Params: { name: string }; Querystring: { status?: string } }>('/console/jobs/:name', {
      config: { access: 'jobs:read', ...page },
      schema: { querystring: { type: 'object', properties: { status: { type: 'string', enum: ['', ...runStatuses] }, done: { type: 'string' }, failed: { type: 'string' } } } },
    }, async (request, reply) => {
      const job = host.findJob(request.params.name);
      const [described] = await describeJobs(host, [job.name]);
      const backlog = (await describeJobBacklogs(host.store, [job])).get(job.name) ?? null;
      const status = request.query.status || '';
      const recent = await host.results.list({ job: job.name, limit: 100 });
      const runs = recent.filter((r) => status === '' || r.status === status).slice(0, 50).map(runSummaryView);
      return sendPage(reply, 'job-runs', frameFor(request, reply, `Runs of ${job.name}`, 'overview'), { job: described, backlog, runs, statuses: runStatuses, status });
    });

    fastify.get<{ Params: { id: string } }>('/console/runs/:id', { config: { access: 'jobs:read', ...page } }, async (request, reply) => {
      const run = await host.results.get(request.params.id);
      return sendPage(reply, 'run', frameFor(request, reply, `Run of ${run.job}`, 'overview'), { run: runView(run) });
    });

    fastify.get<{ Params: { id: string } }>('/console/runs/:id/progress', { config: { access: 'jobs:read' } }, async (request) => {
      const run = await host.results.get(request.params.id);
      return { status: run.status, counts: run.counts, lines: run.items.length };
    });

    registerTicketPages(fastify, context);
    registerJobPages(fastify, context);
  },
};
