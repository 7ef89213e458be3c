import { cacheTagsOf, cacheTagsOfEvent, MAX_CACHE_TAGS, tagCache, withCacheTags } from './cache-control';

describe('cache tags', () => {
  it('adds the subgraph’s own wildcard unless it tags precisely (and tagged something)', () => {
    const ctx = withCacheTags({});
    expect(cacheTagsOf(ctx, 'products', false)).toEqual(['products/*']);
    expect(cacheTagsOf(ctx, 'stock', true)).toEqual(['stock/*']);
    tagCache(ctx, 'stock/stock:SKU-1', 'stock/stock:SKU-1');
    expect(cacheTagsOf(ctx, 'stock', true)).toEqual(['stock/stock:SKU-1']);
    expect(cacheTagsOf(ctx, 'products', false)).toEqual(['stock/stock:SKU-1', 'products/*']);
  });

  it('shares the tags with a shallow copy of the context, as Apollo Server makes one', () => {
    const original = withCacheTags({ request: {} });
    const copy = Object.assign(Object.create(Object.getPrototypeOf(original)), original) as object;
    tagCache(original, 'stock/stock:SKU-2'); // e.g. a DataLoader that closed over the original
    expect(cacheTagsOf(copy, 'stock', true)).toEqual(['stock/stock:SKU-2']);
  });

  it('falls back to the wildcard past MAX_CACHE_TAGS, keeping other domains’ tags', () => {
    const ctx = withCacheTags({});
    tagCache(ctx, 'orders/order:*', ...Array.from({ length: MAX_CACHE_TAGS + 5 }, (_, i) => `stock/stock:S${i}`));
    expect(cacheTagsOf(ctx, 'stock', true)).toEqual(['stock/*', 'orders/order:*']);
  });

  it('names what an event evicts: its subject, its aggregate, its domain', () => {
    expect(cacheTagsOfEvent('stock', { type: 'stock.level_changed', subject: 'SKU-1' })).toEqual([
      'stock/*',
      'stock/stock:*',
      'stock/stock:SKU-1',
    ]);
    expect(cacheTagsOfEvent('products', { type: 'category.updated', subject: '' })).toEqual([
      'products/*',
      'products/category:*',
    ]);
  });
});
