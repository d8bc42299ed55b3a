import { AppError } from '../../core/index.ts';
import { createScheduler, describeJobs, setJobEnabled, type Scheduler } from '../../scheduler/index.ts';
import { describeJobBacklogs } from '../describe-job-backlog.ts';
import { errorResponses } from '../schemas/error-schema.ts';
import { jobNameParams, jobRunJson, jobStateJson } from '../schemas/job-schemas.ts';
import type { RouteGroup } from '../route-group.ts';

/** Jobs: their state, run now, enable and disable: the same service functions as `mailroom jobs …`. */
export const jobsRoutes: RouteGroup = {
  name: 'jobs',
  prefix: '/api/v1/jobs',
  register(fastify, { host }) {
    // Not started: this instance only reads Agenda's entries and queues runs for the workers.
    let scheduler: Scheduler | undefined;
    const agenda = (): Scheduler => (scheduler ??= createScheduler(host));
    const stateOf = async (name: string): Promise<Record<string, unknown>> => {
      const config = host.findJob(name);
      const [job] = await describeJobs(host, [name]);
      return jobStateJson(job!, await describeJobBacklogs(host.store, [config]));
    };

    fastify.get('/', {
      config: { access: 'jobs:read' },
      schema: {
        summary: 'Every configured job with its target, schedule, enabled, last and next run, failures in a row and (mail jobs) backlog', tags: ['jobs'],
        response: { 200: { type: 'object', additionalProperties: false, required: ['jobs'], properties: { jobs: { type: 'array', items: { $ref: 'Job#' } } } }, ...errorResponses(401, 403) },
      },
    }, async () => {
      const backlogs = await describeJobBacklogs(host.store, host.config.jobs);
      return { jobs: (await describeJobs(host)).map((job) => jobStateJson(job, backlogs)) };
    });

    fastify.get<{ Params: { name: string } }>('/:name', {
      config: { access: 'jobs:read' },
      schema: { summary: 'One job', tags: ['jobs'], params: jobNameParams, response: { 200: { $ref: 'Job#' }, ...errorResponses(401, 403, 404) } },
    }, async (request) => stateOf(request.params.name));

    fastify.post<{ Params: { name: string }; Querystring: { wait?: boolean } }>('/:name/run', {
      config: { access: 'jobs:run' },
      schema: {
        summary: 'Run a job now',
        description: 'Without wait: the workers run it as soon as one is free (202; the job must be enabled). With wait=true it runs in this server process under the job\'s lock and the answer is the finished run (200).',
        tags: ['jobs'], params: jobNameParams,
        querystring: { type: 'object', additionalProperties: false, properties: { wait: { type: 'boolean', default: false } } },
        response: {
          200: { $ref: 'JobRun#' },
          202: { type: 'object', additionalProperties: false, required: ['queued'], properties: { queued: { type: 'string' } } },
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    }, async (request, reply) => {
      const { name } = request.params;
      host.findJob(name);
      if (request.query.wait) return jobRunJson(await host.runJobNow(name, { worker: `http:${request.id}` }));
      const [state] = await describeJobs(host, [name]);
      if (!state!.enabled) throw new AppError('API_CONFLICT', `job ${name} is disabled, so no worker runs it`, { hint: `Enable it (POST /api/v1/jobs/${name}/enable), or run it here with ?wait=true.` });
      await agenda().queue(name);
      return reply.code(202).send({ queued: name });
    });

    for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
      fastify.post<{ Params: { name: string } }>(`/:name/${verb}`, {
        config: { access: 'jobs:manage' },
        schema: {
          summary: `${verb === 'enable' ? 'Enable' : 'Disable'} a job at runtime (stored in the database; the schedule file stays the definition)`,
          tags: ['jobs'], params: jobNameParams, response: { 200: { $ref: 'Job#' }, ...errorResponses(401, 403, 404) },
        },
      }, async (request) => {
        await setJobEnabled(host, agenda(), request.params.name, enabled);
        return stateOf(request.params.name);
      });
    }

    fastify.addHook('onClose', async () => {
      await scheduler?.agenda.stop().catch(() => undefined);
    });
  },
};
