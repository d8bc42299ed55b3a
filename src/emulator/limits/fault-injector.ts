import { GraphError } from '../http/graph-error.ts';

export interface FaultSpec {
  method?: string;
  /** A regular expression searched in the path (`/v1.0/...`, `/{tenant}/oauth2/v2.0/token`; batch items as `/v1.0/...`). */
  path?: string;
  mailbox?: string;
  status: number;
  /** Seconds for `Retry-After`; may be fractional. */
  retryAfter?: number;
  count?: number;
  rate?: number;
  /**
   * Let the request take effect, then answer with the fault: a response lost on its way back (the mail was sent, the
   * draft created, but the client saw a 504). Graph operations only.
   */
  afterEffect?: boolean;
  /** Graph's error code to answer with instead of the status's usual one (e.g. `resyncRequired`). */
  code?: string;
  /**
   * Answer as usual, but break the connection after this many bytes of the body (give `status: 200`): a large
   * download lost midway. Top-level Graph requests only.
   */
  cutAfterBytes?: number;
}

interface Fault {
  id: number;
  spec: FaultSpec;
  pattern: RegExp | undefined;
  remaining: number | undefined;
  hits: number;
}

const ALLOWED = new Set([400, 401, 403, 404, 410, 429, 500, 502, 503, 504]);

/** Faults from `POST /_emulator/faults`: for the next N matching requests, or a fraction of them. */
export class FaultInjector {
  #faults: Fault[] = [];
  #nextId = 1;
  readonly #random: () => number;

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  add(spec: FaultSpec): { id: number } | { problem: string } {
    if (spec.cutAfterBytes !== undefined) {
      if (spec.status !== 200 || !(Number.isInteger(spec.cutAfterBytes) && spec.cutAfterBytes >= 0)) return { problem: 'cutAfterBytes needs status 200 and a whole number of bytes' };
    } else if (!ALLOWED.has(spec.status)) return { problem: `status must be one of ${[...ALLOWED].join(', ')}` };
    if (spec.count !== undefined && spec.rate !== undefined) return { problem: 'give either count or rate, not both' };
    if (spec.rate !== undefined && !(spec.rate > 0 && spec.rate <= 1)) return { problem: 'rate must be in (0, 1]' };
    if (spec.count !== undefined && !(Number.isInteger(spec.count) && spec.count > 0)) return { problem: 'count must be a positive integer' };
    let pattern: RegExp | undefined;
    try {
      pattern = spec.path === undefined ? undefined : new RegExp(spec.path, 'i');
    } catch {
      return { problem: 'path is not a valid regular expression' };
    }
    const fault: Fault = { id: this.#nextId++, spec, pattern, remaining: spec.rate === undefined ? (spec.count ?? 1) : undefined, hits: 0 };
    this.#faults.push(fault);
    return { id: fault.id };
  }

  clear(): void {
    this.#faults = [];
  }

  list(): Record<string, unknown>[] {
    return this.#faults.map((f) => ({ id: f.id, ...f.spec, remaining: f.remaining, hits: f.hits }));
  }

  /** The fault to answer with, if one matches (and is consumed). `namedPathOnly`: skip faults that give no path. */
  take(method: string, path: string, mailbox: string | undefined, options: { namedPathOnly?: boolean } = {}): FaultSpec | undefined {
    for (const fault of this.#faults) {
      const { spec } = fault;
      if (options.namedPathOnly && fault.pattern === undefined) continue;
      if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) continue;
      if (fault.pattern !== undefined && !fault.pattern.test(path)) continue;
      if (spec.mailbox !== undefined && spec.mailbox.toLowerCase() !== mailbox) continue;
      if (fault.remaining !== undefined) {
        if (fault.remaining <= 0) continue;
        fault.remaining--;
      } else if (this.#random() >= (spec.rate ?? 0)) {
        continue;
      }
      fault.hits++;
      this.#faults = this.#faults.filter((f) => f.remaining === undefined || f.remaining > 0);
      return spec;
    }
    return undefined;
  }
}

/** The Graph error a fault stands for, with the codes Graph really uses for these statuses. */
export function faultError(spec: FaultSpec): GraphError {
  const headers: Record<string, string> = spec.retryAfter === undefined ? {} : { 'Retry-After': String(spec.retryAfter) };
  if (spec.code !== undefined) return new GraphError(spec.status, spec.code, `Injected fault: ${spec.code}.`, headers);
  switch (spec.status) {
    case 429:
      return new GraphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', headers);
    case 503:
      return new GraphError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.', headers);
    case 504:
      return new GraphError(504, 'GatewayTimeout', 'The gateway did not receive a response in time.', headers);
    case 401:
      return new GraphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', {
        ...headers,
        'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
      });
    case 410:
      return new GraphError(410, 'SyncStateNotFound', 'The sync state generation is not found; generation=0;[highest=0].', headers);
    case 403:
      return new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.', headers);
    case 404:
      return new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.', headers);
    default:
      return new GraphError(spec.status, 'InternalServerError', 'An internal server error occurred.', headers);
  }
}
