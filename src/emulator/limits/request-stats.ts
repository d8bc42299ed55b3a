/** Counters behind `GET /_emulator/stats`: HTTP requests, Graph operations (a batch item is one), per route and mailbox. */
export class RequestStats {
  requests = 0;
  operations = 0;
  byRoute: Record<string, number> = {};
  byMailbox: Record<string, number> = {};
  /** HTTP requests per route: a `$batch` envelope counts as `POST /$batch`, its items not at all (they are in byRoute). */
  requestsByRoute: Record<string, number> = {};
  /** `$batch` requests per route of the items they carried (a batch of fetches and moves counts under both). */
  batchesByRoute: Record<string, number> = {};

  countRequest(): void {
    this.requests++;
  }

  countOperation(route: string, mailbox: string | undefined): void {
    this.operations++;
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
    if (mailbox !== undefined) this.byMailbox[mailbox] = (this.byMailbox[mailbox] ?? 0) + 1;
  }

  countHttpRoute(route: string): void {
    this.requestsByRoute[route] = (this.requestsByRoute[route] ?? 0) + 1;
  }

  countBatchRoutes(routes: Iterable<string>): void {
    for (const route of routes) this.batchesByRoute[route] = (this.batchesByRoute[route] ?? 0) + 1;
  }

  /** Entra and discovery calls are HTTP requests with a route, but not Graph operations. */
  countRoute(route: string): void {
    this.byRoute[route] = (this.byRoute[route] ?? 0) + 1;
  }

  reset(): void {
    this.requests = 0;
    this.operations = 0;
    this.byRoute = {};
    this.byMailbox = {};
    this.requestsByRoute = {};
    this.batchesByRoute = {};
  }

  snapshot(): Record<string, unknown> {
    return { requests: this.requests, operations: this.operations, byRoute: { ...this.byRoute }, byMailbox: { ...this.byMailbox }, requestsByRoute: { ...this.requestsByRoute }, batchesByRoute: { ...this.batchesByRoute } };
  }
}
