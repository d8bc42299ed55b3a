import type { EmulatorResponse, GraphOperation } from '../http/emulator-types.ts';
import { errorResponse, GraphError } from '../http/graph-error.ts';

const MAX_REQUESTS = 20;
/** Outlook runs at most 4 items of one batch at a time (https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits-for-json-batching). */
const ITEM_CONCURRENCY = 4;

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

function bad(message: string): GraphError {
  return new GraphError(400, 'BadRequest', message);
}

function parseItems(body: Buffer): BatchItem[] {
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch {
    throw bad('Invalid batch payload format.');
  }
  const requests = (payload as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw bad('Invalid batch payload format: a "requests" array is required.');
  if (requests.length > MAX_REQUESTS) throw bad(`The number of batch requests exceeds the maximum of ${MAX_REQUESTS}.`);
  const seen = new Set<string>();
  const items = requests.map((raw: unknown): BatchItem => {
    const r = raw as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id === '' || typeof r.method !== 'string' || typeof r.url !== 'string') {
      throw bad('Each batch request needs a string id, method and url.');
    }
    if (seen.has(r.id.toLowerCase())) throw bad(`Batch request ids must be unique; '${r.id}' appears more than once.`);
    seen.add(r.id.toLowerCase());
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries((r.headers ?? {}) as Record<string, unknown>)) headers[key.toLowerCase()] = String(value);
    if (r.body !== undefined && headers['content-type'] === undefined) throw bad(`Batch request '${r.id}': a Content-Type header is required when a body is present.`);
    const dependsOn = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
    return { id: r.id, method: r.method.toUpperCase(), url: r.url, headers, body: r.body, dependsOn };
  });
  for (const item of items) {
    for (const dependency of item.dependsOn) if (!seen.has(dependency.toLowerCase())) throw bad(`Batch request '${item.id}' depends on an unknown request '${dependency}'.`);
  }
  const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]));
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string): void => {
    if (done.has(id)) return;
    if (visiting.has(id)) throw bad(`Batch request '${id}' has a circular dependsOn chain.`);
    visiting.add(id);
    for (const dependency of byId.get(id)?.dependsOn ?? []) visit(dependency.toLowerCase());
    visiting.delete(id);
    done.add(id);
  };
  for (const item of items) visit(item.id.toLowerCase());
  return items;
}

function toOperation(item: BatchItem, envelope: GraphOperation): GraphOperation {
  let url = item.url.replace(/^https:\/\/[^/]+/i, '');
  if (!url.startsWith('/')) url = `/${url}`;
  url = url.replace(/^\/v1\.0(?=\/)/i, '');
  const question = url.indexOf('?');
  const path = question < 0 ? url : url.slice(0, question);
  const query = new URLSearchParams(question < 0 ? '' : url.slice(question + 1));
  let body = Buffer.alloc(0);
  if (item.body !== undefined) {
    const isJson = (item.headers['content-type'] ?? '').toLowerCase().includes('json');
    body = isJson ? Buffer.from(JSON.stringify(item.body)) : Buffer.from(String(item.body), 'base64');
  }
  const headers: Record<string, string> = { ...item.headers };
  if (envelope.headers.authorization !== undefined) headers.authorization = envelope.headers.authorization;
  return { method: item.method, path, query, headers, body };
}

/**
 * An item answer: `Content-Type` keeps that exact casing (the JS SDK only JSON-decodes when it finds it), JSON stays
 * JSON, anything else (`$value` MIME, attachment bytes) is base64 as Graph does for non-JSON item bodies.
 */
function toItemResponse(id: string, response: EmulatorResponse): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(response.headers ?? {})) {
    if (key === 'request-id' || key === 'client-request-id') continue;
    headers[key.toLowerCase() === 'content-type' ? 'Content-Type' : key] = value;
  }
  const out: Record<string, unknown> = { id, status: response.status, headers };
  if (response.body === undefined) return out;
  if (Buffer.isBuffer(response.body)) out.body = response.body.toString('base64');
  else if (typeof response.body === 'string') out.body = Buffer.from(response.body).toString('base64');
  else out.body = response.body;
  return out;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * `POST /v1.0/$batch` (https://learn.microsoft.com/en-us/graph/json-batching): ≤ 20 items, each an operation of its
 * own (throttling, faults, stats), `dependsOn` ordering with 424 for failed dependencies, answers in random order.
 */
export async function executeBatch(envelope: GraphOperation, run: (op: GraphOperation) => Promise<EmulatorResponse>): Promise<EmulatorResponse> {
  let items: BatchItem[];
  try {
    items = parseItems(envelope.body);
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    return errorResponse(error, envelope.headers['client-request-id'] ?? '', envelope.headers['client-request-id'] ?? '');
  }
  const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]));
  const results = new Map<string, Promise<EmulatorResponse>>();
  let running = 0;
  const waiters: (() => void)[] = [];
  const slot = async (): Promise<void> => {
    while (running >= ITEM_CONCURRENCY) await new Promise<void>((resolve) => waiters.push(resolve));
    running++;
  };
  const free = (): void => {
    running--;
    waiters.shift()?.();
  };
  const start = (item: BatchItem): Promise<EmulatorResponse> => {
    const key = item.id.toLowerCase();
    const existing = results.get(key);
    if (existing !== undefined) return existing;
    const promise = (async (): Promise<EmulatorResponse> => {
      const dependencies = await Promise.all(item.dependsOn.map((d) => start(byId.get(d.toLowerCase()) as BatchItem)));
      if (dependencies.some((d) => d.status >= 400)) {
        return { status: 424, headers: {}, body: { error: { code: 'FailedDependency', message: 'The request failed because a request it depends on failed.' } } };
      }
      await slot();
      try {
        return await run(toOperation(item, envelope));
      } finally {
        free();
      }
    })();
    results.set(key, promise);
    return promise;
  };
  const responses = await Promise.all(items.map(async (item) => toItemResponse(item.id, await start(item))));
  return { status: 200, body: { responses: shuffle(responses) } };
}
