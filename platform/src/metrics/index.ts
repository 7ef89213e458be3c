// Metrics: one Prometheus registry per process, its /metrics route, and the series every
// service shares (operations, caches, outbox, dead letters). Domains add their own counters.
export * from './registry';
export * from './bounded-label';
export * from './operation-metrics';
export * from './metrics-route';
