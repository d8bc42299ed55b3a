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
    // A streamed body is bounded by the wait for each piece, not by the whole download (see RequestState.stream).
    const idle = state.stream ? new IdleTimeout(timeoutMs) : undefined;
    const timeout = idle?.signal ?? AbortSignal.timeout(timeoutMs);
    const signal = state.signal ? AbortSignal.any([timeout, state.signal]) : timeout;
    for (const counter of state.counters) counter.requests += 1;
    const started = Date.now();
    let status: number;
    let responseHeaders: Headers;
    let chunks: Uint8Array[] = [];
    let streamed: ReadableStream<Uint8Array> | null = null;
    try {
      idle?.arm();
      const response = await fetch(url, {
        method,
        headers,
        // The SDK serialises JSON bodies to strings; binary bodies pass through as given.
        body: (context.options?.body ?? undefined) as RequestInit['body'],
        dispatcher: this.options.dispatcher,
        signal,
        redirect: 'manual',
      });
      idle?.disarm();
      status = response.status;
      responseHeaders = new Headers();
      response.headers.forEach((value, key) => responseHeaders.append(key, value));
      // The body as the network delivered it, whole before the timeout ends; kept in its pieces, because joining
      // them here and again in the caller held a large MIME download three times at once.
      if (idle) streamed = response.body as ReadableStream<Uint8Array> | null;
      else if (response.body) for await (const chunk of response.body) chunks.push(chunk);
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
    const describe = { method, path: pathOf(url), timeoutMs, clientRequestId: state.clientRequestId };
    const body = nullBodyStatus.has(status) ? null : streamed && idle ? streamBody(streamed, idle, state.signal, describe) : new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces) controller.enqueue(piece);
        controller.close();
      },
    });
    context.response = new Response(body, { status, headers: responseHeaders });
  }
}

/** A timer that aborts when one wait (for the headers, for the next piece of the body) lasts longer than `ms`. */
class IdleTimeout {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  arm(): void {
    this.disarm();
    this.timer = setTimeout(() => this.controller.abort(), this.ms);
  }

  disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * A streamed body piece by piece, each wait bounded; an error after the headers (the connection broke, a stall, the
 * job stopped) reaches the reader as an AppError naming how far the body came. Nothing is resent from here: a
 * partly read body cannot be retried transparently, its reader fails the work and tries again later.
 */
function streamBody(source: ReadableStream<Uint8Array>, idle: IdleTimeout, jobSignal: AbortSignal | undefined, what: { method: string; path: string; timeoutMs: number; clientRequestId: string }): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let bytes = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      idle.arm();
      try {
        const { done, value } = await reader.read();
        idle.disarm();
        if (done) controller.close();
        else {
          bytes += value.byteLength;
          controller.enqueue(value);
        }
      } catch (error) {
        idle.disarm();
        const details = { ...what, bytesRead: bytes };
        if (jobSignal?.aborted) controller.error(new AppError('JOB_ABORTED', `Graph ${what.method} ${what.path} aborted`, { cause: jobSignal.reason }));
        else if (idle.signal.aborted) {
          controller.error(new AppError('GRAPH_TIMEOUT', `Graph ${what.method} ${what.path} sent nothing for ${what.timeoutMs} ms after ${bytes} bytes of the body`, { cause: error, details, hint: 'Graph stalled mid-download; the mail is fetched again later.' }));
        } else {
          controller.error(new AppError('GRAPH_UNAVAILABLE', `Graph ${what.method} ${what.path} broke off after ${bytes} bytes of the body: ${describeNetworkError(error)}`, { cause: error, details, hint: 'The connection was lost mid-download; the mail is fetched again later.' }));
        }
      }
    },
    async cancel(reason) {
      idle.disarm();
      await reader.cancel(reason);
    },
  });
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return error instanceof Error ? error.message : String(error);
}
