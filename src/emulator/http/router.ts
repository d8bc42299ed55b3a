/**
 * A small path router. Patterns use `{name}` for a segment parameter; literal segments compare case-insensitively
 * (Graph accepts `mailfolders` and `mailFolders`). OData key syntax `mailFolders('inbox')` is normalised to
 * `mailFolders/inbox` before matching.
 */
export interface Route<T> {
  method: string;
  pattern: string;
  /** Stable route name used in stats, e.g. `GET /users/{user}/messages`. */
  name: string;
  meta: T;
  segments: string[];
}

export interface RouteMatch<T> {
  route: Route<T>;
  params: Record<string, string>;
}

export type MatchResult<T> = { kind: 'match'; match: RouteMatch<T> } | { kind: 'method' } | { kind: 'none'; segment: string };

export class Router<T> {
  readonly #routes: Route<T>[] = [];

  add(method: string, pattern: string, meta: T): void {
    this.#routes.push({ method, pattern, name: `${method} ${pattern}`, meta, segments: pattern.split('/').filter((s) => s !== '') });
  }

  match(method: string, path: string): MatchResult<T> {
    const segments = splitPath(path);
    let methodMismatch = false;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments);
      if (params === undefined) continue;
      if (route.method !== method) {
        methodMismatch = true;
        continue;
      }
      return { kind: 'match', match: { route, params } };
    }
    return methodMismatch ? { kind: 'method' } : { kind: 'none', segment: segments.at(-1) ?? '' };
  }
}

export function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const raw of path.split('/')) {
    if (raw === '') continue;
    const key = /^([^(]+)\('?([^']*)'?\)$/.exec(raw);
    if (key?.[1] !== undefined && key[2] !== undefined) {
      out.push(safeDecode(key[1]), safeDecode(key[2]));
    } else {
      out.push(safeDecode(raw));
    }
  }
  return out;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const s = segments[i] as string;
    if (p.startsWith('{') && p.endsWith('}')) {
      params[p.slice(1, -1)] = s;
    } else if (p.toLowerCase() !== s.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}
