import { settle } from '../events/test/wait';
import { createLogger } from '../logger';
import { createCacheFactory } from './create-cache-factory';
import type { CacheFactory, EntityCache } from './entity-cache';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent', 'test');
const config = { REDIS_URL: undefined, CACHE_TTL_SECONDS: 300, CACHE_LRU_ENTRIES: 1_000 };

interface Product {
  sku: string;
  priceVnd: number;
}

const catalog: Record<string, Product> = {
  'MILK-1L': { sku: 'MILK-1L', priceVnd: 32_000 },
  'EGG-10': { sku: 'EGG-10', priceVnd: 45_000 },
  'RICE-5KG': { sku: 'RICE-5KG', priceVnd: 180_000 },
};

describe('EntityCache.loadMany (read-through)', () => {
  let caches: CacheFactory;
  let products: EntityCache<Product | null>;
  let calls: string[][];
  /** Stands in for one batched query: what the catalog holds among the keys asked for. */
  const fromCatalog = async (missing: string[]) => {
    calls.push(missing);
    return new Map(missing.flatMap((sku) => (catalog[sku] ? [[sku, catalog[sku]] as const] : [])));
  };

  beforeEach(() => {
    caches = createCacheFactory(config, logger);
    products = caches.cache<Product | null>('products:product');
    calls = [];
  });
  afterEach(() => caches.close());

  it('loads only the misses, each once and in one call, and answers aligned with the keys', async () => {
    await products.set('EGG-10', { sku: 'EGG-10', priceVnd: 44_000 });
    const got = await products.loadMany(['RICE-5KG', 'EGG-10', 'NOPE', 'RICE-5KG'], fromCatalog);
    expect(got).toEqual([catalog['RICE-5KG'], { sku: 'EGG-10', priceVnd: 44_000 }, undefined, catalog['RICE-5KG']]);
    expect(calls).toEqual([['RICE-5KG', 'NOPE']]);
  });

  it('caches what the loader found, so the next read asks it for nothing', async () => {
    await products.loadMany(['MILK-1L', 'EGG-10'], fromCatalog);
    expect(await products.loadMany(['EGG-10', 'MILK-1L'], fromCatalog)).toEqual([
      catalog['EGG-10'],
      catalog['MILK-1L'],
    ]);
    expect(calls).toEqual([['MILK-1L', 'EGG-10']]);
    expect(await products.get('MILK-1L')).toEqual(catalog['MILK-1L']);
  });

  it('does not remember a key the loader has no value for: the next read asks again', async () => {
    expect(await products.loadMany(['NEW-SKU'], fromCatalog)).toEqual([undefined]);
    catalog['NEW-SKU'] = { sku: 'NEW-SKU', priceVnd: 10_000 };
    try {
      expect(await products.loadMany(['NEW-SKU'], fromCatalog)).toEqual([catalog['NEW-SKU']]);
    } finally {
      delete catalog['NEW-SKU'];
    }
    expect(calls).toEqual([['NEW-SKU'], ['NEW-SKU']]);
  });

  it('returns a cached null ("known absent") without loading it', async () => {
    await products.set('GONE', null);
    expect(await products.loadMany(['GONE'], fromCatalog)).toEqual([null]);
    expect(calls).toEqual([]);
  });

  it('caches only the keys it asked for, whatever else the loader returns', async () => {
    await products.loadMany(['MILK-1L'], async () => new Map(Object.entries(catalog)));
    expect(await products.getMany(['MILK-1L', 'EGG-10'])).toEqual([catalog['MILK-1L'], undefined]);
  });

  it('rejects with the loader and caches nothing when the loader fails', async () => {
    const down = async () => {
      throw new Error('database unreachable');
    };
    await expect(products.loadMany(['MILK-1L'], down)).rejects.toThrow('database unreachable');
    expect(await products.get('MILK-1L')).toBeUndefined();
  });

  it('keeps the TTL it is given for what it caches', async () => {
    await products.loadMany(['MILK-1L'], fromCatalog, 0.15);
    await settle(400);
    expect(await products.get('MILK-1L')).toBeUndefined();
  });
});
