import type { Context, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { AppError } from '../../core/index.ts';
import type { GraphCallCounter } from '../call-counter.ts';

/**
 * Per-request facts our middleware needs, passed through the SDK as a middleware option. It also carries an
 * AppError thrown inside the chain back out, because the SDK re-wraps anything thrown into a GraphError.
 */
export class RequestState implements MiddlewareOptions {
  /** May this request be sent again after a 5xx, timeout or network error? (429 is always retried.) */
  readonly idempotent: boolean;
  /** Lower-cased mailbox keys (user id or UPN) the request touches, for the per-mailbox concurrency limit. */
  readonly mailboxes: readonly string[];
  readonly signal: AbortSignal | undefined;
  readonly counters: readonly GraphCallCounter[];
  readonly clientRequestId: string;
  /** Overrides the client's per-attempt timeout. */
  readonly timeoutMs: number | undefined;
  /**
   * Hand the body on as it arrives instead of reading it whole inside the attempt: the timeout then bounds the wait
   * for each piece, and a retry is only possible before the first byte (what comes after is the caller's to fail).
   */
  readonly stream: boolean;
  attempt = 0;
  /** The bearer token the last attempt carried, to read its roles when Graph answers 403. */
  token: string | undefined;
  error: AppError | undefined;

  constructor(init: { idempotent: boolean; mailboxes: readonly string[]; signal: AbortSignal | undefined; counters: readonly GraphCallCounter[]; clientRequestId: string; timeoutMs?: number | undefined; stream?: boolean }) {
    this.idempotent = init.idempotent;
    this.mailboxes = init.mailboxes;
    this.signal = init.signal;
    this.counters = init.counters;
    this.clientRequestId = init.clientRequestId;
    this.timeoutMs = init.timeoutMs;
    this.stream = init.stream === true;
  }
}

export function requestStateOf(context: Context): RequestState {
  const state = context.middlewareControl?.getMiddlewareOptions(RequestState);
  if (!(state instanceof RequestState)) throw new Error('Graph request sent without RequestState; use the GraphClient wrapper');
  return state;
}

export function requestUrl(context: Context): string {
  return typeof context.request === 'string' ? context.request : context.request.url;
}

export function requestMethod(context: Context): string {
  return (context.options?.method ?? (typeof context.request === 'string' ? 'GET' : context.request.method)).toUpperCase();
}

/** Lets go of a response body nobody will read (a streamed one that is retried), so its connection is freed. */
export async function discardBody(response: Response | undefined): Promise<void> {
  await response?.body?.cancel().catch(() => undefined);
}
