/** Prometheus metrics for /metrics: stored work read on scrape, this process's Graph and token traffic. The only public face of src/metrics; the only importer of prom-client. */
export { createMetrics, type Metrics, type MetricsDeps } from './create-metrics.ts';
export { createProcessTraffic, type ProcessTraffic, type TrafficCounter } from './create-process-traffic.ts';
