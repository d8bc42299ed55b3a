/**
 * Counts Graph traffic for one job run (or one client). `requests` are HTTP round trips (every attempt, every
 * `$batch` envelope); `operations` are Graph operations asked for (one per call, one per batch item, again per
 * retry); `byStatus` holds one outcome per HTTP response outside batches and per batch item, keyed by status code,
 * or `network` / `timeout` when no response came back.
 */
export interface GraphCallCounter {
  requests: number;
  operations: number;
  byStatus: Record<string, number>;
}

export function createCallCounter(): GraphCallCounter {
  return { requests: 0, operations: 0, byStatus: {} };
}

export function countStatus(counters: readonly GraphCallCounter[], status: number | 'network' | 'timeout'): void {
  for (const counter of counters) counter.byStatus[String(status)] = (counter.byStatus[String(status)] ?? 0) + 1;
}
