/**
 * How token requests are retried: like Graph reads (graph/middleware/retry-middleware.ts), since a client-credentials
 * or refresh-token request is idempotent. Retried: 5xx and 429 answers, AADSTS90033 ("a transient error has
 * occurred", https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes), lost connections and
 * time-outs. Not retried: TLS trust failures and every other error, which only a person can fix.
 */
export interface TokenRetryPolicy {
  /** Total attempts including the first (default 4). */
  maxAttempts: number;
  /** First backoff step when the answer gives no Retry-After; doubles per attempt (default 500 ms). */
  baseDelayMs: number;
  /** A Retry-After longer than this is not waited out; the answer goes to MSAL as it is (default 10 s). */
  maxRetryAfterMs: number;
}

export const defaultTokenRetryPolicy: TokenRetryPolicy = Object.freeze({ maxAttempts: 4, baseDelayMs: 500, maxRetryAfterMs: 10_000 });

/** Entra's "temporarily_unavailable" (AADSTS90033) can come with a 4xx status; the body says it is transient. */
export function isTransientTokenAnswer(status: number, body: unknown): boolean {
  if (status === 429 || status >= 500) return true;
  const b = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; error_codes?: unknown };
  return b.error === 'temporarily_unavailable' || (Array.isArray(b.error_codes) && b.error_codes.includes(90033));
}

/** Connection-level failures worth another attempt; a certificate the connection does not trust is not one. */
const transientNetworkCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

export function isTransientNetworkError(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; cause?: { code?: unknown; name?: unknown } } | undefined;
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return true;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' && transientNetworkCodes.has(code);
}

/** Exponential backoff with jitter in [half, full] of the step (as Graph's retry does). */
export function tokenBackoffMs(attempt: number, baseMs: number): number {
  const step = Math.min(16_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + Math.random() * (step / 2));
}

export function parseRetryAfterHeader(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
