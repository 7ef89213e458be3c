// cache_lookups_total{cache, result}: one series for every cache of the process (the entity
// caches by namespace, the gateway's response cache), so hit ratios read the same everywhere.
import { counter } from '../metrics/registry';

const lookups = counter({
  name: 'cache_lookups_total',
  help: 'Keys looked up in a cache, by cache name (namespace without REDIS_PREFIX) and hit or miss.',
  labelNames: ['cache', 'result'],
});

export function countCacheLookups(cache: string, hits: number, misses: number): void {
  if (hits > 0) lookups.inc({ cache, result: 'hit' }, hits);
  if (misses > 0) lookups.inc({ cache, result: 'miss' }, misses);
}
