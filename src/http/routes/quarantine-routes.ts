import type { QuarantinedMail } from '../../mail/connector/index.ts';
import { errorResponses } from '../schemas/error-schema.ts';
import { jobNameParams, jobRunItemJson, jobRunJson } from '../schemas/job-schemas.ts';
import type { RouteGroup } from '../route-group.ts';

const mailSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['key', 'job', 'mailbox', 'subject', 'sender', 'internetMessageId', 'attempts', 'error', 'quarantinedAt', 'rawStored'],
  properties: {
    key: { type: 'string', description: 'What replay takes as {key}.' },
    job: { type: 'string' }, mailbox: { type: 'string' }, subject: { type: 'string' }, sender: { type: ['string', 'null'] },
    internetMessageId: { type: ['string', 'null'] }, attempts: { type: 'integer' },
    error: { type: ['object', 'null'], additionalProperties: false, required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } }, description: 'Why it was quarantined.' },
    quarantinedAt: { type: ['string', 'null'], format: 'date-time' },
    rawStored: { type: 'boolean', description: 'The raw MIME is kept: a replay works even when the mail is gone from the mailbox.' },
  },
} as const;

const replayResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['replayed', 'run', 'items'],
  properties: {
    replayed: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['key', 'subject', 'from'], properties: { key: { type: 'string' }, subject: { type: 'string' }, from: { enum: ['mailbox', 'raw-mime', 'stand-in'], description: 'mailbox: moved back and read from Graph; raw-mime: gone from the mailbox, its stored MIME; stand-in: gone, and Graph could not convert it to MIME, so only the stand-in with its sender, subject and date was kept (the line\'s warnings say so).' } } } },
    run: { $ref: 'JobRun#' },
    items: { type: 'array', items: { $ref: 'JobRunItem#' }, description: 'The replayed mail\'s lines in that run (created, updated, quarantined again…).' },
  },
} as const;

function mailJson(m: QuarantinedMail): Record<string, unknown> {
  return { key: m.key, job: m.job, mailbox: m.mailbox, subject: m.subject, sender: m.sender, internetMessageId: m.internetMessageId, attempts: m.attempts, error: m.error, quarantinedAt: m.quarantinedAt, rawStored: m.rawStored };
}

/** Quarantined mail per job and its replay with the current rules (App.quarantine, the service of `mailroom quarantine` and the console). */
export const quarantineRoutes: RouteGroup = {
  name: 'quarantine',
  prefix: '/api/v1/jobs',
  register(fastify, { host }) {
    const quarantine = () => host.quarantine;
    const replay = async (job: string, key: string | null): Promise<Record<string, unknown>> => {
      const result = await quarantine().replay(job, key);
      const { items: _items, ...run } = result.run;
      return { replayed: result.replayed, run: jobRunJson(run), items: result.items.map(jobRunItemJson) };
    };

    fastify.get<{ Params: { name: string } }>('/:name/quarantine', {
      config: { access: 'jobs:read' },
      schema: {
        summary: 'A mail job\'s quarantined mail, newest first, with the reason', tags: ['quarantine'], params: jobNameParams,
        response: { 200: { type: 'object', additionalProperties: false, required: ['mail'], properties: { mail: { type: 'array', items: mailSchema } } }, ...errorResponses(400, 401, 403, 404) },
      },
    }, async (request) => ({ mail: (await quarantine().list(request.params.name)).map(mailJson) }));

    fastify.post<{ Params: { name: string; key: string } }>('/:name/quarantine/:key/replay', {
      config: { access: 'quarantine:replay' },
      schema: {
        summary: 'Replay one quarantined mail with the current rules (exactly once)',
        description: 'Moves it back from the failed folder (or uses the stored raw MIME when it is gone from the mailbox) and runs the job once. 409 MAIL_NOT_QUARANTINED when it is not quarantined, 409 JOB_BUSY when the job runs elsewhere.',
        tags: ['quarantine'],
        params: { type: 'object', additionalProperties: false, required: ['name', 'key'], properties: { name: { type: 'string', minLength: 1 }, key: { type: 'string', minLength: 1, maxLength: 2000 } } },
        response: { 200: replayResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    }, async (request) => replay(request.params.name, request.params.key));

    fastify.post<{ Params: { name: string } }>('/:name/quarantine/replay-all', {
      config: { access: 'quarantine:replay' },
      schema: { summary: 'Replay every quarantined mail of the job with the current rules', tags: ['quarantine'], params: jobNameParams, response: { 200: replayResponse, ...errorResponses(400, 401, 403, 404, 409) } },
    }, async (request) => replay(request.params.name, null));
  },
};
