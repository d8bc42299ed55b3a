/**
 * Retry-After is seconds (Graph sends integers and fractions such as 2.128) or an HTTP date.
 * https://learn.microsoft.com/en-us/graph/throttling#best-practices-to-handle-throttling
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter in [half, full] of the step, so retries spread out but never collapse to zero. */
export function backoffDelay(attempt: number, baseMs: number, capMs = 32_000): number {
  const step = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + Math.random() * (step / 2));
}
