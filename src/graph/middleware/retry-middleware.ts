import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { AppError, isAppError } from '../../core/index.ts';
import type { Logger } from '../../log/index.ts';
import { backoffDelay, parseRetryAfter } from '../parse-retry-after.ts';
import { discardBody, requestMethod, requestStateOf, requestUrl } from './request-state.ts';

export interface RetryPolicy {
  /** Total attempts including the first (default 5). */
  maxAttempts: number;
  /** First backoff step when Graph gives no Retry-After; doubles per attempt (default 1000 ms). */
  baseDelayMs: number;
  /** A Retry-After longer than this is not waited out in-process; the caller gets GRAPH_THROTTLED with retryAfterMs. */
  maxRetryAfterMs: number;
}

export const retryableStatuses = new Set([429, 503, 504]);

/** 429 is always safe to resend (Graph did not run the request); 503/504 and lost responses only when idempotent. */
export function shouldRetryStatus(status: number, idempotent: boolean): boolean {
  return status === 429 || (idempotent && retryableStatuses.has(status));
}

export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AppError('JOB_ABORTED', 'Graph retry wait aborted', { cause: signal.reason }));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AppError('JOB_ABORTED', 'Graph retry wait aborted', { cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Our own retry instead of the SDK's RetryHandler, because that one counts retries rather than attempts, retries
 * every method on 503/504 (a POST sendMail would go out twice), ignores network errors and timeouts, and waits up
 * to 180 s inside one call. Here: 429 → wait Retry-After (or back off) and resend anything; 503/504/timeout/network
 * → resend only idempotent requests; at most `maxAttempts` sends; the final response or error goes to the caller.
 * https://learn.microsoft.com/en-us/graph/throttling
 */
export class RetryMiddleware implements Middleware {
  private next: Middleware | undefined;

  constructor(private readonly policy: RetryPolicy, private readonly logger: Logger) {}

  async execute(context: Context): Promise<void> {
    const state = requestStateOf(context);
    for (let attempt = 1; ; attempt += 1) {
      state.attempt = attempt;
      state.error = undefined;
      let delay: number;
      try {
        await this.next!.execute(context);
        const response = context.response!;
        if (!shouldRetryStatus(response.status, state.idempotent) || attempt >= this.policy.maxAttempts) return;
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        if (retryAfter !== undefined && retryAfter > this.policy.maxRetryAfterMs) return;
        delay = retryAfter ?? backoffDelay(attempt, this.policy.baseDelayMs);
        if (state.stream) await discardBody(response);
        this.logger.debug('graph retry', { method: requestMethod(context), path: new URL(requestUrl(context)).pathname, status: response.status, attempt, delayMs: delay });
      } catch (error) {
        const retryable = isAppError(error) && (error.code === 'GRAPH_TIMEOUT' || error.code === 'GRAPH_UNAVAILABLE');
        if (!retryable || !state.idempotent || attempt >= this.policy.maxAttempts) {
          if (isAppError(error)) state.error = error;
          throw error;
        }
        delay = backoffDelay(attempt, this.policy.baseDelayMs);
        this.logger.debug('graph retry', { method: requestMethod(context), path: new URL(requestUrl(context)).pathname, code: error.code, attempt, delayMs: delay });
      }
      await sleep(delay, state.signal).catch((error: unknown) => {
        if (isAppError(error)) state.error = error;
        throw error;
      });
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}
