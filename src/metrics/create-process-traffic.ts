/** Same shape as the graph module's GraphCallCounter, which createGraphClient's `counter` option fills. */
export interface TrafficCounter {
  requests: number;
  operations: number;
  byStatus: Record<string, number>;
}

/**
 * What this process alone sees and no table stores: Graph requests and token acquisitions. The composition root
 * hands `graphCounter(name)` to each connection's Graph client (its `counter` option, counting every request of
 * that client) and registers each token provider (which counts requests that reached the token endpoint); /metrics
 * reads both on scrape. Per process: several workers each report their own.
 */
export interface ProcessTraffic {
  graphCounter(connection: string): TrafficCounter;
  watchTokenProvider(connection: string, provider: { readonly tokenRequests: number }): void;
  graph(): ReadonlyMap<string, Readonly<TrafficCounter>>;
  tokenRequests(): ReadonlyMap<string, number>;
}

export function createProcessTraffic(): ProcessTraffic {
  const graph = new Map<string, TrafficCounter>();
  const providers = new Map<string, { readonly tokenRequests: number }[]>();
  return {
    graphCounter(connection) {
      let counter = graph.get(connection);
      if (!counter) graph.set(connection, (counter = { requests: 0, operations: 0, byStatus: {} }));
      return counter;
    },
    watchTokenProvider(connection, provider) {
      providers.set(connection, [...(providers.get(connection) ?? []), provider]);
    },
    graph: () => graph,
    tokenRequests: () => new Map([...providers].map(([name, list]) => [name, list.reduce((sum, p) => sum + p.tokenRequests, 0)])),
  };
}
