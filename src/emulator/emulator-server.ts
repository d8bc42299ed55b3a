import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ControlRequest } from './control/control-api.ts';
import { entraFault, runEntraHandler, type EntraRequest } from './entra/entra-routes.ts';
import type { EntraContext } from './entra/token-endpoint.ts';
import { executeOperation } from './graph/execute-operation.ts';
import { executeBatch } from './graph/json-batch.ts';
import type { GraphEnvironment, RouteMeta } from './graph/operation-context.ts';
import type { EmulatorResponse, GraphOperation } from './http/emulator-types.ts';
import { errorResponse } from './http/graph-error.ts';
import { faultError } from './limits/fault-injector.ts';
import type { Router } from './http/router.ts';

const MAX_BODY_BYTES = 200 * 1024 * 1024;

export interface ServerParts {
  env: GraphEnvironment;
  graph: Router<RouteMeta>;
  entra: Router<(ctx: EntraContext, request: EntraRequest) => EmulatorResponse | Promise<EmulatorResponse>>;
  entraContext: () => EntraContext;
  control: Router<(request: ControlRequest) => EmulatorResponse | Promise<EmulatorResponse>>;
  log: ((line: Record<string, unknown>) => void) | undefined;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function lowerHeaders(request: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function send(response: ServerResponse, result: EmulatorResponse, defaultJsonType: string): void {
  const headers: Record<string, string> = { ...result.headers };
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(result.body)) payload = result.body;
  else if (typeof result.body === 'string') payload = Buffer.from(result.body, 'utf8');
  else if (result.body !== undefined) {
    payload = Buffer.from(JSON.stringify(result.body), 'utf8');
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = defaultJsonType;
  }
  headers['Content-Length'] = String(payload?.length ?? 0);
  response.writeHead(result.status, headers);
  if (result.cutAfterBytes !== undefined && payload !== undefined && result.cutAfterBytes < payload.length) {
    // The promised length never arrives: the client sees the connection end midway through the body.
    response.write(payload.subarray(0, result.cutAfterBytes), () => response.destroy());
    return;
  }
  response.end(payload);
}

/** The request handler: control API, Graph (`/v1.0`, `$batch`) and Entra (everything else). */
export function createRequestHandler(parts: ServerParts): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const started = performance.now();
    handle(parts, request)
      .catch((error: unknown): EmulatorResponse => ({ status: 500, body: { error: { code: 'InternalServerError', message: `Emulator bug: ${(error as Error).message}` } } }))
      .then((result) => {
        const url = request.url ?? '/';
        const isGraph = url.startsWith('/v1.0/');
        send(response, result, isGraph ? 'application/json' : 'application/json; charset=utf-8');
        parts.log?.({ time: new Date().toISOString(), method: request.method, path: url, status: result.status, ms: Math.round(performance.now() - started) });
      })
      .catch(() => response.destroy());
  };
}

async function handle(parts: ServerParts, request: IncomingMessage): Promise<EmulatorResponse> {
  const method = (request.method ?? 'GET').toUpperCase();
  const url = new URL(request.url ?? '/', 'https://localhost');
  const path = url.pathname;
  const headers = lowerHeaders(request);
  const body = await readBody(request);
  const { env } = parts;

  if (path === '/_emulator' || path.startsWith('/_emulator/')) {
    const match = parts.control.match(method, path);
    if (match.kind !== 'match') return { status: 404, body: { error: { code: 'NotFound', message: `No control route ${method} ${path}` } } };
    return match.match.route.meta({ params: match.match.params, query: url.searchParams, body });
  }

  env.stats.countRequest();
  if (path.startsWith('/v1.0/') || path === '/v1.0') {
    const op: GraphOperation = { method, path: path.slice('/v1.0'.length) || '/', query: url.searchParams, headers, body };
    if (op.path.toLowerCase() === '/$batch' && method === 'POST') {
      const requestId = randomUUID();
      // A fault whose path names the envelope answers for the whole $batch, as a throttled batch request does.
      env.stats.countHttpRoute('POST /$batch');
      const envelopeFault = env.faults.take(method, path, undefined, { namedPathOnly: true });
      if (envelopeFault !== undefined) return errorResponse(faultError(envelopeFault), requestId, headers['client-request-id'] ?? requestId);
      const routes = new Set<string>();
      const result = await executeBatch(op, (item) => executeOperation(env, parts.graph, item, routes));
      env.stats.countBatchRoutes(routes);
      return { ...result, headers: { 'request-id': requestId, 'client-request-id': headers['client-request-id'] ?? requestId, 'Content-Type': 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8', ...result.headers } };
    }
    return executeOperation(env, parts.graph, op);
  }

  const match = parts.entra.match(method, path);
  if (match.kind !== 'match') return { status: 404, body: { error: 'not_found', error_description: `No endpoint ${method} ${path}` } };
  env.stats.countRoute(match.match.route.name);
  const fault = env.faults.take(method, path, undefined);
  if (fault !== undefined) return entraFault(fault.status, fault.retryAfter);
  return runEntraHandler(match.match.route.meta, parts.entraContext(), { params: match.match.params, query: url.searchParams, headers, body });
}
