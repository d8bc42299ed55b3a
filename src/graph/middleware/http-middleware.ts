import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { fetch, type Dispatcher, type RequestInit } from 'undici';
import { AppError, isAppError } from '../../core/index.ts';
import type { Logger } from '../../log/index.ts';
import { countStatus } from '../call-counter.ts';
import { requestMethod, requestStateOf, requestUrl } from './request-state.ts';

// Statuses whose Response must not carry a body (the Response constructor throws otherwise).
const nullBodyStatus = new Set([101, 204, 205, 304]);

/** Logs URLs without their query: a $filter holds mail addresses, which do not belong in debug logs. */
function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname;
}

/**
 * The end of the chain: sends one attempt through the connection's own TLS dispatcher (its CA, nobody else's) with
 * a per-attempt timeout, and reads the whole body inside that timeout so a stalled body counts as a timeout too
 * and the retry middleware can resend it. Logs request-id and client-request-id, which Microsoft support asks for.
 */
export class HttpMiddleware implements Middleware {
  constructor(private readonly options: { dispatcher: Dispatcher; timeoutMs: number; logger: Logger; connectionName: string }) {}

  async execute(context: Context): Promise<void> {
    const state = requestStateOf(context);
    const url = requestUrl(context);
    const method = requestMethod(context);
    const headers = { ...(context.options?.headers as Record<string, string> | undefined), 'client-request-id': state.clientRequestId };
    const timeoutMs = state.timeoutMs ?? this.options.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = state.signal ? AbortSignal.any([timeout, state.signal]) : timeout;
    for (const counter of state.counters) counter.requests += 1;
    const started = Date.now();
    let status: number;
    let responseHeaders: Headers;
    let chunks: Uint8Array[] = [];
    try {
      const response = await fetch(url, {
        method,
        headers,
        // The SDK serialises JSON bodies to strings; binary bodies pass through as given.
        body: (context.options?.body ?? undefined) as RequestInit['body'],
        dispatcher: this.options.dispatcher,
        signal,
        redirect: 'manual',
      });
      status = response.status;
      responseHeaders = new Headers();
      response.headers.forEach((value, key) => responseHeaders.append(key, value));
      // The body as the network delivered it, whole before the timeout ends; kept in its pieces, because joining
      // them here and again in the caller held a large MIME download three times at once.
      if (response.body) for await (const chunk of response.body) chunks.push(chunk);
    } catch (error) {
      const ms = Date.now() - started;
      if (state.signal?.aborted) {
        throw (state.error = new AppError('JOB_ABORTED', `Graph ${method} ${pathOf(url)} aborted`, { cause: state.signal.reason }));
      }
      if (timeout.aborted) {
        countStatus(state.counters, 'timeout');
        this.options.logger.debug('graph timeout', { connection: this.options.connectionName, method, path: pathOf(url), attempt: state.attempt, ms, clientRequestId: state.clientRequestId });
        throw (state.error = new AppError('GRAPH_TIMEOUT', `Graph ${method} ${pathOf(url)} took longer than ${timeoutMs} ms`, {
          cause: error,
          details: { method, path: pathOf(url), timeoutMs, clientRequestId: state.clientRequestId },
          hint: 'Graph was slow; the request is retried later. Large pages time out: use $select and a smaller $top.',
        }));
      }
      countStatus(state.counters, 'network');
      const appError = isAppError(error) ? error : new AppError('GRAPH_UNAVAILABLE', `Graph ${method} ${pathOf(url)} failed before a response: ${describeNetworkError(error)}`, {
        cause: error,
        details: { method, path: pathOf(url), clientRequestId: state.clientRequestId },
        hint: 'Check the network path to the Graph host (proxy, firewall, DNS, TLS trust via caFile).',
      });
      throw (state.error = appError);
    }
    countStatus(state.counters, status);
    this.options.logger.debug('graph', {
      connection: this.options.connectionName, method, path: pathOf(url), status, attempt: state.attempt, ms: Date.now() - started,
      requestId: responseHeaders.get('request-id') ?? undefined, clientRequestId: responseHeaders.get('client-request-id') ?? state.clientRequestId,
    });
    const pieces = chunks;
    chunks = [];
    const body = nullBodyStatus.has(status) ? null : new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces) controller.enqueue(piece);
        controller.close();
      },
    });
    context.response = new Response(body, { status, headers: responseHeaders });
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
