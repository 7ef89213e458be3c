// What shoppers see of stock: per-SKU availability, read through the entity cache. Entries
// are evicted by the writes and events that change them; the TTL is only the safety net.
import type { EntityCache } from '@grocery/platform';
import type { StockLevelRepository } from '../data/stock-level-repository';
import { summariseAvailability, type SkuAvailability, type StockLevelRecord } from './stock-level';

/** Cached form: JSON-safe, one entry per SKU holding all its locations (an empty list is a cached "none"). */
export type CachedLevels = { locationId: string; onHand: number; reserved: number; updatedAt: string }[];

export const AVAILABILITY_CACHE_NAMESPACE = 'stock:availability';
export const availabilityCacheKey = (sku: string) => sku;

const toCached = (levels: StockLevelRecord[]): CachedLevels =>
  levels.map((l) => ({
    locationId: l.locationId,
    onHand: l.onHand,
    reserved: l.reserved,
    updatedAt: l.updatedAt.toISOString(),
  }));
const fromCached = (sku: string, c: CachedLevels): StockLevelRecord[] =>
  c.map((l) => ({
    sku,
    locationId: l.locationId,
    onHand: l.onHand,
    reserved: l.reserved,
    updatedAt: new Date(l.updatedAt),
  }));

export class AvailabilityService {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly cache: EntityCache<CachedLevels>,
  ) {}

  /** Availability for each SKU, aligned with the input: one cache round trip, at most one query. */
  async forSkus(skus: readonly string[]): Promise<SkuAvailability[]> {
    const cached = await this.cache.getMany(skus.map(availabilityCacheKey));
    const missing = [...new Set(skus.filter((_, i) => cached[i] === undefined))];
    const loaded = new Map<string, StockLevelRecord[]>(missing.map((sku) => [sku, []]));
    if (missing.length > 0) {
      for (const level of await this.levels.levelsForSkus(missing)) loaded.get(level.sku)!.push(level);
      await this.cache.setMany(
        [...loaded].map(([sku, levels]) => [availabilityCacheKey(sku), toCached(levels)] as const),
      );
    }
    return skus.map((sku, i) => {
      const c = cached[i];
      return summariseAvailability(sku, c != null ? fromCached(sku, c) : loaded.get(sku)!);
    });
  }

  /** Evicts on every replica (the cache broadcasts deletes). */
  evict(skus: readonly string[]): Promise<void> {
    return this.cache.delete([...new Set(skus)].map(availabilityCacheKey));
  }
}
