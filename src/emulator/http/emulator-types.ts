/** One Graph operation: a top-level HTTP request to `/v1.0/...` or one item of a `$batch`. */
export interface GraphOperation {
  method: string;
  /** Path below `/v1.0`, starting with `/`, percent-decoded per segment by the router. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** A JSON value (sent as Graph JSON), a string or Buffer (sent with `headers['Content-Type']`), or nothing. */
  body?: unknown;
  /** Send this many bytes of the body, then break the connection (a download that dies midway; top-level requests only). */
  cutAfterBytes?: number;
}

export const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers, body };
}

export function empty(status: number, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers };
}
