// GET /metrics: the process's registry in Prometheus' text format. Mounting it also starts
// Node's process series (metrics are then on); unmounted, nothing is sampled and only the
// in-memory counters count.
import type { RequestHandler } from 'express';
import { collectProcessMetrics, metricsRegistry } from './registry';

export function metricsHandler(): RequestHandler {
  collectProcessMetrics();
  return async (_req, res, next) => {
    try {
      const text = await metricsRegistry.metrics();
      res.set('content-type', metricsRegistry.contentType).set('cache-control', 'no-store').send(text);
    } catch (err) {
      next(err);
    }
  };
}
