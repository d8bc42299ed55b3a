import { GraphError } from '../http/graph-error.ts';

export interface ThrottleSettings {
  concurrentPerMailbox: number;
  requestsPerWindow: number;
  windowMs: number;
}

interface Bucket {
  inFlight: number;
  windowStart: number;
  count: number;
}

/**
 * Exchange's limits per application + mailbox (https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits):
 * 4 concurrent requests and 10,000 requests per 10 minutes, answered with 429 ApplicationThrottled and Retry-After.
 */
export class MailboxThrottle {
  readonly #buckets = new Map<string, Bucket>();
  readonly settings: ThrottleSettings;

  constructor(settings: ThrottleSettings) {
    this.settings = settings;
  }

  /** Takes a slot or throws the 429; call the returned function when the operation finished. */
  acquire(appId: string, mailbox: string, now = Date.now()): () => void {
    const key = `${appId.toLowerCase()}|${mailbox}`;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { inFlight: 0, windowStart: now, count: 0 };
      this.#buckets.set(key, bucket);
    }
    if (now - bucket.windowStart >= this.settings.windowMs) {
      bucket.windowStart = now;
      bucket.count = 0;
    }
    if (bucket.count >= this.settings.requestsPerWindow) {
      const seconds = Math.max(1, Math.ceil((bucket.windowStart + this.settings.windowMs - now) / 1000));
      throw new GraphError(429, 'ApplicationThrottled', 'Application is over its MailboxRequests limit.', { 'Retry-After': String(seconds) });
    }
    if (bucket.inFlight >= this.settings.concurrentPerMailbox) {
      throw new GraphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', { 'Retry-After': '1' });
    }
    bucket.count++;
    bucket.inFlight++;
    const held = bucket;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      held.inFlight--;
    };
  }

  reset(): void {
    this.#buckets.clear();
  }
}
