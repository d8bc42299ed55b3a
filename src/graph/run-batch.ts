import { AppError } from '../core/index.ts';
import type { Logger } from '../log/index.ts';
import { countStatus, type GraphCallCounter } from './call-counter.ts';
import type { BatchRequest, BatchResponse } from './graph-client-types.ts';
import { mailboxOfPath, type GraphTransport } from './graph-transport.ts';
import { mapGraphError } from './map-graph-error.ts';
import { shouldRetryStatus, sleep, type RetryPolicy } from './middleware/retry-middleware.ts';
import { backoffDelay, parseRetryAfter } from './parse-retry-after.ts';

/** Graph's limit per $batch: https://learn.microsoft.com/en-us/graph/json-batching */
export const maxBatchSize = 20;

interface Item extends BatchRequest {
  id: string;
  index: number;
  dependsOn: string[];
}

function lowerHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = String(v);
  return out;
}

function normalize(requests: readonly BatchRequest[]): Item[] {
  const items = requests.map((r, index): Item => ({ ...r, id: r.id ?? String(index + 1), index, dependsOn: r.dependsOn ?? [] }));
  const ids = new Set<string>();
  for (const item of items) {
    const key = item.id.toLowerCase();
    if (ids.has(key)) throw new AppError('USAGE', `batch request id "${item.id}" is used twice (ids are case-insensitive)`);
    ids.add(key);
  }
  for (const item of items) {
    for (const dep of item.dependsOn) {
      if (!ids.has(dep.toLowerCase())) throw new AppError('USAGE', `batch request "${item.id}" depends on unknown id "${dep}"`);
    }
  }
  return items;
}

/** Requests linked by dependsOn must share a $batch; groups are packed in input order into chunks of ≤ 20. */
function chunk(items: readonly Item[]): Item[][] {
  const parent = new Map(items.map((i) => [i.id.toLowerCase(), i.id.toLowerCase()]));
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  for (const item of items) for (const dep of item.dependsOn) parent.set(find(dep.toLowerCase()), find(item.id.toLowerCase()));
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    const root = find(item.id.toLowerCase());
    groups.set(root, [...(groups.get(root) ?? []), item]);
  }
  const chunks: Item[][] = [];
  let current: Item[] = [];
  for (const group of groups.values()) {
    if (group.length > maxBatchSize) {
      throw new AppError('USAGE', `${group.length} batch requests are chained by dependsOn; at most ${maxBatchSize} fit one $batch`);
    }
    if (current.length + group.length > maxBatchSize) {
      chunks.push(current);
      current = [];
    }
    current.push(...group);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Base64 as Node decodes it, checked without a regex: Node's decoder skips characters outside the alphabet and stops at
 * the first `=`, so a string of length L (a multiple of 4) ending in p `=` is well-formed exactly when it decodes to
 * 3L/4 - p bytes; each skipped or misplaced character costs at least one byte. Both alphabets are taken (Graph sends
 * standard base64; OData 4.01 says base64url). Undefined when the string is not base64 as a whole.
 */
function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = Buffer.from(text, 'base64');
  return bytes.byteLength === (text.length / 4) * 3 - padding ? bytes : undefined;
}

/** Base64 that may be wrapped in lines: the fast check first, the whitespace stripped only when that fails. */
function decodeWrappedBase64(text: string): Buffer | undefined {
  return decodeBase64(text) ?? (/\s/.test(text) ? decodeBase64(text.replace(/\s+/g, '')) : undefined);
}

const isJsonType = (type: string): boolean => /^application\/([\w.+-]+\+)?json\b/.test(type);

/**
 * Bytes of a batch item's body, decided by its Content-Type: JSON bodies re-serialised; binary media types (anything
 * but JSON and text/*) are base64 in a batch (https://learn.microsoft.com/en-us/graph/json-batching: "body ... a
 * base64 URL-encoded value, for example, when the body is an image"), and base64 that does not decode is an error
 * naming the item, never wrong bytes. A text/* body (a `$value` MIME is text/plain) may come either way: OData 4.01
 * keeps text as a string, Graph has been seen to base64 it; it is decoded when it is base64 as a whole, else taken as
 * UTF-8 text. A JSON-typed or untyped string body is treated like text.
 */
export function batchBodyBytes(response: BatchResponse): Uint8Array {
  const { body } = response;
  if (body === null || body === undefined) return new Uint8Array();
  if (typeof body !== 'string') return new TextEncoder().encode(JSON.stringify(body));
  const type = (response.headers['content-type'] ?? '').trim().toLowerCase();
  const decoded = decodeWrappedBase64(body);
  if (decoded) return decoded;
  if (type === '' || type.startsWith('text/') || isJsonType(type)) return new TextEncoder().encode(body);
  throw new AppError('GRAPH_ERROR', `the $batch answer to request "${response.id}" has a ${type} body that is not valid base64 (${body.length} characters)`, {
    details: { requestId: response.id, contentType: type, status: response.status },
  });
}

/**
 * JSON batching with retries per item: Graph throttles items individually (status 429 + their own Retry-After) while
 * the envelope is 200, and the SDK's retry never looks inside. So the items that came back 429 (or 503/504 when
 * idempotent), plus dependents that failed 424 because of them, are sent again, and only they, in a new smaller
 * $batch after the longest Retry-After among them. Responses come back in any order; they are returned in input order.
 */
export async function runBatch(options: {
  transport: GraphTransport;
  resolvePath: (path: string, signal?: AbortSignal) => Promise<string>;
  requests: readonly BatchRequest[];
  policy: RetryPolicy;
  /** Every counter to count item outcomes into (the client's and the caller's). */
  counters: readonly GraphCallCounter[];
  /** The caller's counters only; the transport adds its own. */
  extraCounters: readonly GraphCallCounter[];
  logger: Logger;
  signal?: AbortSignal;
}): Promise<BatchResponse[]> {
  const { transport, policy, signal } = options;
  const items = normalize(options.requests);
  for (const item of items) item.url = await options.resolvePath(transport.toRelative(item.url), signal);
  const results: (BatchResponse | undefined)[] = new Array(items.length);
  let pending = items;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    const responses = await Promise.all(chunk(pending).map((c) => sendChunk(c)));
    const byId = new Map<string, { status: number; headers: Record<string, string>; body: unknown }>();
    for (const list of responses) for (const r of list) byId.set(String(r.id).toLowerCase(), r);
    const retry = new Set<string>();
    const last = attempt >= policy.maxAttempts;
    let delay = 0;
    for (const item of pending) {
      const r = byId.get(item.id.toLowerCase());
      if (!r) continue;
      const idempotent = item.method === 'GET' || item.method === 'PUT' || item.method === 'DELETE';
      if (!last && shouldRetryStatus(r.status, idempotent)) {
        const after = parseRetryAfter(r.headers['retry-after']);
        if (after === undefined || after <= policy.maxRetryAfterMs) {
          retry.add(item.id.toLowerCase());
          delay = Math.max(delay, after ?? backoffDelay(attempt, policy.baseDelayMs));
        }
      }
    }
    // A dependent that failed only because its dependency failed is sent again with it (transitively).
    for (let grew = retry.size > 0; grew;) {
      grew = false;
      for (const item of pending) {
        const key = item.id.toLowerCase();
        const r = byId.get(key);
        if (!retry.has(key) && r?.status === 424 && item.dependsOn.some((d) => retry.has(d.toLowerCase()))) {
          retry.add(key);
          grew = true;
        }
      }
    }
    for (const item of pending) {
      if (retry.has(item.id.toLowerCase())) continue;
      const r = byId.get(item.id.toLowerCase());
      results[item.index] = r
        ? { id: item.id, ...r, ...(r.status >= 400 ? { error: mapGraphError(r.status, r.body, r.headers, itemContext(item)) } : {}) }
        : { id: item.id, status: 0, headers: {}, body: null, error: new AppError('GRAPH_ERROR', `$batch returned no response for request "${item.id}"`) };
    }
    if (retry.size === 0) break;
    pending = pending
      .filter((i) => retry.has(i.id.toLowerCase()))
      .map((i) => ({ ...i, dependsOn: i.dependsOn.filter((d) => retry.has(d.toLowerCase())) }));
    options.logger.debug('graph batch retry', { items: pending.length, attempt, delayMs: delay });
    await sleep(delay, signal);
  }
  return results.map((r) => r!);

  async function sendChunk(c: Item[]): Promise<{ id: string; status: number; headers: Record<string, string>; body: unknown }[]> {
    const mailboxes = [...new Set(c.map((i) => mailboxOfPath(i.url)).filter((m): m is string => m !== undefined))];
    const body = {
      requests: c.map((i) => {
        const headers = { ...i.headers };
        if (i.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
        return {
          id: i.id, method: i.method, url: i.url,
          ...(Object.keys(headers).length > 0 ? { headers } : {}),
          ...(i.body !== undefined ? { body: i.body } : {}),
          ...(i.dependsOn.length > 0 ? { dependsOn: i.dependsOn } : {}),
        };
      }),
    };
    // The envelope may be resent after 5xx only when no item writes; a write may already have run.
    const response = await transport.send('POST', '/$batch', {
      body, mailboxes, operations: c.length, idempotent: c.every((i) => i.method === 'GET'), counters: options.extraCounters, ...(signal ? { signal } : {}),
    });
    const parsed = (await response.json()) as { responses?: { id?: unknown; status?: unknown; headers?: Record<string, string>; body?: unknown }[] };
    const list = (parsed.responses ?? []).map((r) => ({ id: String(r.id), status: Number(r.status), headers: lowerHeaders(r.headers), body: r.body }));
    for (const r of list) countStatus(options.counters, r.status);
    return list;
  }
}

function itemContext(item: Item): { method: string; path: string; mailbox?: string } {
  const mailbox = mailboxOfPath(item.url);
  return { method: item.method, path: item.url.split('?')[0]!, ...(mailbox ? { mailbox } : {}) };
}
