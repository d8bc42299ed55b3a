import { randomUUID } from 'node:crypto';
import { ResponseType, type Client, type GraphRequest } from '@microsoft/microsoft-graph-client';
import { AppError, toAppError } from '../core/index.ts';
import { readTokenRoles } from '../auth/index.ts';
import type { GraphCallCounter } from './call-counter.ts';
import { mapGraphError } from './map-graph-error.ts';
import { RequestState } from './middleware/request-state.ts';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

export interface SendOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Default: GET/PUT/DELETE yes; POST/PATCH no (resent after 429 only) unless the caller knows the write carries an idempotency key. */
  idempotent?: boolean;
  /** Mailboxes for the concurrency limit; default: the one in the path. */
  mailboxes?: readonly string[];
  /** Graph operations this request stands for (a $batch: its item count). */
  operations?: number;
  timeoutMs?: number;
  /** Hand the body on as it arrives (see RequestState.stream); the caller must read it to the end or cancel it. */
  stream?: boolean;
  /** Extra counters (a job run's), besides the client's own. */
  counters?: readonly GraphCallCounter[];
}

const idempotentMethods = new Set<HttpMethod>(['GET', 'PUT', 'DELETE']);

/** `/users/{id or upn}/…` → the decoded, lower-cased user segment. */
export function mailboxOfPath(path: string): string | undefined {
  const match = /^\/users\/([^/?]+)/i.exec(path);
  if (!match) return undefined;
  const raw = decodeURIComponent(match[1]!).replace(/^\('(.*)'\)$/, '$1');
  return raw.toLowerCase();
}

export interface GraphTransport {
  readonly graphBaseUrl: string;
  send(method: HttpMethod, path: string, options?: SendOptions): Promise<Response>;
  /** Turns a path or an absolute Graph link into a path below the base URL; refuses other hosts. */
  toRelative(pathOrUrl: string): string;
}

/** The SDK client plus our request bookkeeping: one RequestState per logical request, errors mapped once. */
export function createGraphTransport(options: {
  sdk: Client;
  graphBaseUrl: string;
  counters: readonly GraphCallCounter[];
}): GraphTransport {
  const { sdk, graphBaseUrl } = options;

  function toRelative(pathOrUrl: string): string {
    if (/^https?:\/\//i.test(pathOrUrl)) {
      if (!pathOrUrl.startsWith(`${graphBaseUrl}/`)) {
        throw new AppError('INTERNAL', `refusing to send a Graph token to ${new URL(pathOrUrl).origin}: the link is not below ${graphBaseUrl}`, {
          details: { link: new URL(pathOrUrl).origin + new URL(pathOrUrl).pathname },
        });
      }
      return pathOrUrl.slice(graphBaseUrl.length);
    }
    return pathOrUrl.startsWith('/') ? pathOrUrl : `/${pathOrUrl}`;
  }

  async function send(method: HttpMethod, path: string, sendOptions: SendOptions = {}): Promise<Response> {
    const relative = toRelative(path);
    const pathOnly = relative.split('?')[0]!;
    const mailbox = mailboxOfPath(relative);
    const headers = sendOptions.headers ?? {};
    const counters = [...options.counters, ...(sendOptions.counters ?? [])];
    const state = new RequestState({
      idempotent: sendOptions.idempotent ?? idempotentMethods.has(method),
      mailboxes: sendOptions.mailboxes ?? (mailbox ? [mailbox] : []),
      signal: sendOptions.signal,
      counters,
      clientRequestId: randomUUID(),
      timeoutMs: sendOptions.timeoutMs,
      stream: sendOptions.stream === true,
    });
    for (const counter of counters) counter.operations += sendOptions.operations ?? 1;
    let request: GraphRequest = sdk.api(relative).middlewareOptions([state]).responseType(ResponseType.RAW);
    if (Object.keys(headers).length > 0) request = request.headers(headers);
    let response: Response;
    try {
      response = (await sendWith(request, method, sendOptions.body)) as Response;
    } catch (error) {
      // The SDK wraps whatever the chain threw into a GraphError; the original AppError waits in the state.
      throw state.error ?? toAppError(error, 'GRAPH_ERROR');
    }
    if (response.ok) return response;
    const text = await response.text();
    const granted = state.token === undefined ? undefined : (({ roles, scp }) => [...roles, ...scp])(readTokenRoles(state.token));
    throw mapGraphError(response.status, text, response.headers, { method, path: pathOnly, ...(mailbox ? { mailbox } : {}), ...(granted ? { granted } : {}) });
  }

  return { graphBaseUrl, send, toRelative };
}

function sendWith(request: GraphRequest, method: HttpMethod, body: unknown): Promise<unknown> {
  switch (method) {
    case 'GET': return request.get();
    case 'POST': return request.post(body);
    case 'PATCH': return request.patch(body);
    case 'PUT': return request.put(body);
    case 'DELETE': return request.delete();
  }
}

/** Splits `https://host/prefix/v1.0` into the SDK's baseUrl (`https://host/prefix/`) and version (`v1.0`). */
export function splitGraphBaseUrl(graphBaseUrl: string): { baseUrl: string; version: string } {
  const index = graphBaseUrl.lastIndexOf('/');
  return { baseUrl: `${graphBaseUrl.slice(0, index)}/`, version: graphBaseUrl.slice(index + 1) };
}
