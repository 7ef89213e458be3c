import { createLogger } from '../logger';
import { settle } from '../events/test/wait';
import { CacheValueError } from './cache-value';
import { createCacheFactory } from './create-cache-factory';
import type { CacheFactory } from './entity-cache';

const logger = createLogger(process.env.LOG_LEVEL ?? 'silent', 'test');
const config = { REDIS_URL: undefined, CACHE_TTL_SECONDS: 300, CACHE_LRU_ENTRIES: 1_000 };

interface Product {
  sku: string;
  name: string;
  priceVnd: number;
}

describe('memory-only cache (no REDIS_URL)', () => {
  let caches: CacheFactory;
  beforeEach(() => {
    caches = createCacheFactory(config, logger);
  });
  afterEach(() => caches.close());

  it('is memory-only and ready at once', async () => {
    expect(caches.kind).toBe('memory');
    await expect(caches.ready()).resolves.toBeUndefined();
  });

  it('gets, sets, reads many aligned with the keys, and deletes', async () => {
    const products = caches.cache<Product>('products:product');
    await products.set('MILK-1L', { sku: 'MILK-1L', name: 'Sữa tươi', priceVnd: 32_000 });
    await products.setMany([
      ['EGG-10', { sku: 'EGG-10', name: 'Trứng gà', priceVnd: 45_000 }],
      ['RICE-5KG', { sku: 'RICE-5KG', name: 'Gạo ST25', priceVnd: 180_000 }],
    ]);
    expect(await products.get('MILK-1L')).toEqual({ sku: 'MILK-1L', name: 'Sữa tươi', priceVnd: 32_000 });
    expect((await products.getMany(['RICE-5KG', 'NOPE', 'EGG-10'])).map((p) => p?.sku)).toEqual([
      'RICE-5KG',
      undefined,
      'EGG-10',
    ]);
    await products.delete(['MILK-1L', 'EGG-10']);
    expect((await products.getMany(['MILK-1L', 'EGG-10', 'RICE-5KG'])).map((p) => p?.sku)).toEqual([
      undefined,
      undefined,
      'RICE-5KG',
    ]);
    await products.delete('RICE-5KG');
    expect(await products.get('RICE-5KG')).toBeUndefined();
  });

  it('keeps namespaces apart', async () => {
    await caches.cache<string>('products:product').set('1', 'a product');
    expect(await caches.cache<string>('stock:level').get('1')).toBeUndefined();
    expect(await caches.cache<string>('products:product').get('1')).toBe('a product');
  });

  it('returns a cached null as null ("known absent"), not as a miss', async () => {
    const products = caches.cache<Product | null>('products:product');
    await products.set('GONE', null);
    expect(await products.get('GONE')).toBeNull();
    expect(await products.get('NEVER-SET')).toBeUndefined();
  });

  it('hands out copies, so a caller mutating a value cannot corrupt the cache', async () => {
    const products = caches.cache<Product>('products:product');
    await products.set('MILK-1L', { sku: 'MILK-1L', name: 'Sữa tươi', priceVnd: 32_000 });
    const first = (await products.get('MILK-1L'))!;
    first.priceVnd = 1;
    expect((await products.get('MILK-1L'))!.priceVnd).toBe(32_000);
  });

  it('expires entries after their TTL', async () => {
    const products = caches.cache<string>('products:product', 0.15);
    await products.set('SHORT', 'default ttl');
    await products.set('LONG', 'explicit ttl', 60);
    expect(await products.get('SHORT')).toBe('default ttl');
    await settle(400);
    expect(await products.get('SHORT')).toBeUndefined();
    expect(await products.get('LONG')).toBe('explicit ttl');
  });

  it('holds at most CACHE_LRU_ENTRIES entries, dropping the least recently used', async () => {
    const small = createCacheFactory({ ...config, CACHE_LRU_ENTRIES: 3 }, logger);
    const c = small.cache<number>('t');
    await c.setMany([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    await c.get('a'); // "a" is now more recent than "b"
    await c.set('d', 4);
    expect(await c.getMany(['a', 'b', 'c', 'd'])).toEqual([1, undefined, 3, 4]);
    await small.close();
  });

  it('refuses a BigInt with an error naming the field, and writes nothing of that batch', async () => {
    const levels = caches.cache<{ sku: string; lots: { qty: unknown }[] }>('stock:level');
    const bad = levels.setMany([
      ['OK', { sku: 'OK', lots: [{ qty: 1 }] }],
      ['BAD', { sku: 'BAD', lots: [{ qty: 1 }, { qty: 5n }] }],
    ]);
    await expect(bad).rejects.toThrow(CacheValueError);
    await expect(bad).rejects.toThrow(/stock:level:BAD: field lots\[1\]\.qty is a BigInt/);
    expect(await levels.getMany(['OK', 'BAD'])).toEqual([undefined, undefined]);
  });

  it('refuses undefined values and non-positive TTLs', async () => {
    const c = caches.cache<unknown>('t');
    await expect(c.set('x', undefined)).rejects.toThrow(/undefined cannot be cached/);
    await expect(c.set('x', 1, 0)).rejects.toThrow(/TTL must be a positive/);
    expect(() => caches.cache('t:')).toThrow(/invalid cache namespace/);
  });
});
