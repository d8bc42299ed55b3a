import { Client } from '@microsoft/microsoft-graph-client';
import type { TokenProvider } from '../auth/index.ts';
import { createTlsDispatcher } from '../auth/index.ts';
import { resolveConnectionHosts, type ConnectionConfig } from '../config/connection-config.ts';
import type { Logger } from '../log/index.ts';
import type { GraphCallCounter } from './call-counter.ts';
import { createPrincipalResolver } from './create-principal-resolver.ts';
import type { BatchRequest, BatchResponse, GraphClient, RequestOptions } from './graph-client-types.ts';
import { createGraphTransport, splitGraphBaseUrl, type HttpMethod, type SendOptions } from './graph-transport.ts';
import { AuthMiddleware } from './middleware/auth-middleware.ts';
import { HttpMiddleware } from './middleware/http-middleware.ts';
import { MailboxLimiter } from './middleware/mailbox-limiter.ts';
import { RetryMiddleware, type RetryPolicy } from './middleware/retry-middleware.ts';
import { deltaPages, paginate } from './page-through.ts';
import { runBatch } from './run-batch.ts';

export interface GraphClientOptions {
  tokenProvider: TokenProvider;
  logger: Logger;
  /** Counts every request of this client; per-run counting goes through `withCounter`. */
  counter?: GraphCallCounter;
  /** Sends per request including the first (default 5). */
  maxAttempts?: number;
  /** Per attempt, including reading the body (default 30,000 ms). */
  timeoutMs?: number;
  /** Requests in flight per mailbox (default 4, Exchange Online's limit per app and mailbox). */
  maxConcurrentPerMailbox?: number;
  /** First backoff step without Retry-After; doubles per attempt with jitter (default 1,000 ms). */
  retryBaseDelayMs?: number;
  /** Longest Retry-After waited out inside a call (default 60,000 ms); longer ones fail with GRAPH_THROTTLED. */
  maxRetryAfterMs?: number;
  /** Config root, for the connection's caFile and emulator state file. */
  baseDir: string;
}

/**
 * The Graph client for one connection: the SDK's request building and response handling over our middleware chain
 *   retry → per-mailbox limit → auth → HTTP (connection CA, timeout, request-id logging, counting).
 * `customHosts` names the connection's Graph host so SDK handlers, if ever added, treat it as Graph
 * (graph-behaviour.md §1.2); our own auth middleware applies the same rule by origin.
 */
export function createGraphClient(connection: ConnectionConfig, options: GraphClientOptions): GraphClient {
  const hosts = resolveConnectionHosts(connection, { baseDir: options.baseDir });
  const graphUrl = new URL(hosts.graphBaseUrl);
  const policy: RetryPolicy = {
    maxAttempts: options.maxAttempts ?? 5,
    baseDelayMs: options.retryBaseDelayMs ?? 1000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
  };
  const { baseUrl, version } = splitGraphBaseUrl(hosts.graphBaseUrl);
  const sdk = Client.initWithMiddleware({
    baseUrl,
    defaultVersion: version,
    customHosts: new Set([graphUrl.hostname]),
    middleware: [
      new RetryMiddleware(policy, options.logger),
      new MailboxLimiter(options.maxConcurrentPerMailbox ?? 4),
      new AuthMiddleware(options.tokenProvider, graphUrl.origin),
      new HttpMiddleware({ dispatcher: createTlsDispatcher(hosts.caFile), timeoutMs: options.timeoutMs ?? 30_000, logger: options.logger, connectionName: connection.name }),
    ],
  });
  const baseCounters = options.counter ? [options.counter] : [];
  const transport = createGraphTransport({ sdk, graphBaseUrl: hosts.graphBaseUrl, counters: baseCounters });
  const resolvePrincipal = connection.lookupPrincipalName === true ? createPrincipalResolver(transport) : async (path: string) => path;

  function view(extraCounters: readonly GraphCallCounter[]): GraphClient {
    async function send(method: HttpMethod, path: string, requestOptions: RequestOptions | undefined, body?: unknown, stream = false): Promise<Response> {
      const relative = await resolvePrincipal(transport.toRelative(path), requestOptions?.signal);
      const sendOptions: SendOptions = { counters: extraCounters, ...(stream ? { stream } : {}) };
      if (requestOptions?.headers) sendOptions.headers = requestOptions.headers;
      if (requestOptions?.signal) sendOptions.signal = requestOptions.signal;
      if (requestOptions?.idempotent !== undefined) sendOptions.idempotent = requestOptions.idempotent;
      if (requestOptions?.timeoutMs !== undefined) sendOptions.timeoutMs = requestOptions.timeoutMs;
      if (body !== undefined) sendOptions.body = body;
      return transport.send(method, relative, sendOptions);
    }
    async function json<T>(response: Response): Promise<T> {
      const text = await response.text();
      return (text === '' ? undefined : JSON.parse(text)) as T;
    }
    const get = async <T>(path: string, o?: RequestOptions): Promise<T> => json<T>(await send('GET', path, o));
    return {
      connectionName: connection.name,
      graphBaseUrl: hosts.graphBaseUrl,
      get,
      async getBytes(path, o) {
        return new Uint8Array(await (await send('GET', path, o)).arrayBuffer());
      },
      async getStream(path, o) {
        const response = await send('GET', path, o, undefined, true);
        return response.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
      },
      async post<T>(path: string, body: unknown, o?: RequestOptions) {
        return json<T>(await send('POST', path, o, body));
      },
      async patch<T>(path: string, body: unknown, o?: RequestOptions) {
        return json<T>(await send('PATCH', path, o, body));
      },
      async delete(path, o) {
        await (await send('DELETE', path, o)).arrayBuffer();
      },
      paginate: <T>(path: string, o?: RequestOptions) => paginate<T>(get, path, o),
      deltaPages: <T>(startUrl: string, o?: RequestOptions) => deltaPages<T>(get, startUrl, o),
      batch(requests: BatchRequest[], o?: { signal?: AbortSignal }): Promise<BatchResponse[]> {
        return runBatch({
          transport, resolvePath: resolvePrincipal, requests, policy, logger: options.logger,
          counters: [...baseCounters, ...extraCounters], extraCounters, ...(o?.signal ? { signal: o.signal } : {}),
        });
      },
      withCounter: (counter) => view([...extraCounters, counter]),
    };
  }
  return view([]);
}
