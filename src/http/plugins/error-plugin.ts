import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { AppError, toAppError } from '../../core/index.ts';
import type { Logger } from '../../log/index.ts';
import { statusForCode } from '../error-status.ts';

interface FieldProblem {
  in: string;
  pointer: string;
  message: string;
}

function describe(part: string, error: ErrorObject): FieldProblem {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { in: part, pointer: `${error.instancePath}/${String(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { in: part, pointer: `${error.instancePath}/${String(params.additionalProperty)}`, message: 'is not a known field (check its spelling)' };
    case 'enum':
      return { in: part, pointer: error.instancePath, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { in: part, pointer: error.instancePath, message: error.message ?? error.keyword };
  }
}

/** Fastify's schema validation failure → 400 API_REQUEST_INVALID naming the field by JSON pointer. */
function validationError(error: FastifyError): AppError {
  const part = error.validationContext ?? 'body';
  const problems = (error.validation as ErrorObject[] | undefined ?? []).map((e) => describe(part, e));
  const first = problems[0] ?? { in: part, pointer: '', message: 'is invalid' };
  const where = first.pointer === '' ? `the ${part}` : part === 'body' ? `field ${first.pointer}` : `${part === 'querystring' ? 'query parameter' : 'path parameter'} ${first.pointer.slice(1)}`;
  return new AppError('API_REQUEST_INVALID', `${where} ${first.message}`, {
    details: { in: first.in, pointer: first.pointer, problems },
    hint: 'See the request schema in /api/v1/openapi.json.',
  });
}

/** Errors from Fastify and its plugins carry a status; keep the 4xx ones as bad requests of ours. */
function frameworkError(error: FastifyError): AppError | null {
  if (error.statusCode === 429) return new AppError('API_RATE_LIMITED', 'too many requests; try again later');
  if (error.statusCode === 403 && error.code?.startsWith('FST_CSRF')) {
    return new AppError('API_CSRF_INVALID', 'this form or request came without a valid CSRF token', { hint: 'Reload the page and submit again; scripts send the token from GET /api/v1/session in the x-csrf-token header.' });
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('API_REQUEST_INVALID', error.message, { details: { status: error.statusCode, ...(error.code ? { fastifyCode: error.code } : {}) } });
  }
  return null;
}

export function toErrorBody(error: AppError): { error: Record<string, unknown> } {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(Object.keys(error.details).length === 0 ? {} : { details: error.details }),
    },
  };
}

/** Every error answer has the shape `{error: {code, message, hint, details}}` and the status that fits its code. */
export function registerErrorHandling(fastify: FastifyInstance, logger: Logger): void {
  fastify.setErrorHandler((raw: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let error: AppError;
    if (raw.validation) error = validationError(raw);
    else if (raw instanceof AppError) error = raw;
    else error = frameworkError(raw) ?? toAppError(raw);
    const status = error.code === 'API_REQUEST_INVALID' && typeof error.details.status === 'number' ? error.details.status : statusForCode(error.code);
    if (status >= 500) {
      logger.error(`http ${request.method} ${request.url.split('?')[0] ?? ''}: ${error.code} ${error.message}`, { requestId: request.id, cause: raw.message });
      // Internals stay in the log; the caller learns the request id to quote.
      error = new AppError(error.code, error.code === 'INTERNAL' ? `internal error (request ${request.id})` : error.message, error.hint === undefined ? {} : { hint: error.hint });
    }
    if (error.retryAfterMs !== undefined) void reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
    // The error's own JSON, not the route's serializer: a failed answer must not fail again on its schema.
    return reply.code(status).type('application/json; charset=utf-8').serializer(JSON.stringify).send(toErrorBody(error));
  });
  fastify.setNotFoundHandler((request, reply) => {
    const error = new AppError('API_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`, { hint: 'The API is described at /api/v1/openapi.json.' });
    return reply.code(404).type('application/json; charset=utf-8').serializer(JSON.stringify).send(toErrorBody(error));
  });
}
