import type { AppError } from '../core/index.ts';
import type { GraphCallCounter } from './call-counter.ts';

export interface DeltaPage<T> {
  items: T[];
  /** Ids of items reported with `@removed` (deleted, or moved out of the tracked folder). */
  removed: string[];
  nextLink: string | null;
  deltaLink: string | null;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * Marks a POST/PATCH as safe to resend after a 5xx or a lost response (it carries its own idempotency key, such as
   * an event transactionId). Without it, writes are resent only after 429.
   */
  idempotent?: boolean;
  /** Per-attempt timeout for this request (ms), e.g. longer for a large MIME download; default the client's. */
  timeoutMs?: number;
}

export interface BatchRequest {
  /** Unique within the call (case-insensitive); default: the 1-based position as a string. */
  id?: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** Relative to the version, e.g. `/users/x/messages/y/$value`. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Ids of requests in the same call that must run first; they always travel in the same $batch. */
  dependsOn?: string[];
}

export interface BatchResponse {
  id: string;
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /**
   * JSON bodies parsed; any other body exactly as Graph put it in the batch: binary (and, in the emulator, text such as
   * a `$value` MIME) as a base64 string. Use `batchBodyBytes` to get bytes either way.
   */
  body: unknown;
  /** Set when status ≥ 400 (after retries), mapped like any other Graph error. */
  error?: AppError;
}

export interface GraphClient {
  get<T>(path: string, options?: RequestOptions): Promise<T>;
  getBytes(path: string, options?: RequestOptions): Promise<Uint8Array>;
  /**
   * A GET whose body is handed on as it arrives (a large MIME download), with getBytes' auth, error mapping and
   * retries, which end at the first byte of a 2xx body; `timeoutMs` then bounds each wait for the next piece. An error
   * mid-body reaches the reader as an AppError (GRAPH_UNAVAILABLE, GRAPH_TIMEOUT, JOB_ABORTED). Read it to the end or
   * cancel it: it holds one of the mailbox's concurrent-request slots until then.
   */
  getStream(path: string, options?: RequestOptions): Promise<ReadableStream<Uint8Array>>;
  post<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  patch<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>;
  delete(path: string, options?: RequestOptions): Promise<void>;
  paginate<T>(path: string, options?: RequestOptions): AsyncIterable<T[]>;
  /** One delta round: yields each page; the last page carries deltaLink. startUrl is a path or a saved absolute deltaLink/nextLink. Stale token → throws AppError GRAPH_SYNC_STATE_GONE. */
  deltaPages<T>(startUrl: string, options?: RequestOptions): AsyncIterable<DeltaPage<T>>;
  /** Any number of requests; sent as $batch of ≤ 20; throttled/5xx items retried alone with backoff; results in input order; dependsOn supported within a chunk. */
  batch(requests: BatchRequest[], options?: { signal?: AbortSignal }): Promise<BatchResponse[]>;
  /** The same client (token, limits, caches) counting additionally into `counter`, e.g. one job run's. */
  withCounter(counter: GraphCallCounter): GraphClient;
  readonly connectionName: string;
  /** The connection's Graph base URL (`https://graph.microsoft.com/v1.0`): saved links below it are ours to follow. */
  readonly graphBaseUrl: string;
}
