import { ResponseCacheStore, type CachedResponse } from './response-cache-store';

const answer = (chars: number, tags: string[] = ['subgraph:products']): CachedResponse => {
  const data = { text: 'x'.repeat(chars) };
  return { data, tags, body: JSON.stringify({ data }) };
};

describe('ResponseCacheStore memory bound', () => {
  it('keeps the bodies of all entries under maxBytes, dropping the least recently used', () => {
    const store = new ResponseCacheStore({ maxEntries: 100_000, maxBytes: 64_000, ttlMs: 60_000 });
    for (let i = 0; i < 1_000; i++) store.set(`key-${i}`, answer(1_000), store.mark());
    expect(store.bytes).toBeLessThanOrEqual(64_000);
    expect(store.size).toBeGreaterThan(50); // ~61 of about 1 KB each
    expect(store.get('key-999')).toBeDefined();
    expect(store.get('key-0')).toBeUndefined();
  });

  it('does not store an answer larger than a sixteenth of the store', () => {
    const store = new ResponseCacheStore({ maxEntries: 100, maxBytes: 16_000, ttlMs: 60_000 });
    expect(store.set('small', answer(500), store.mark())).toBe(true);
    expect(store.set('huge', answer(1_500), store.mark())).toBe(false);
    expect(store.get('huge')).toBeUndefined();
    expect(store.get('small')).toBeDefined();
  });

  it('keeps its tag index in step when entries are pushed out for size', () => {
    const store = new ResponseCacheStore({ maxEntries: 100, maxBytes: 4_000, ttlMs: 60_000 });
    for (let i = 0; i < 50; i++) store.set(`k${i}`, answer(200, [`t${i}`]), store.mark());
    // Evicting the tags of entries already gone finds nothing; the live ones still go.
    expect(store.evict(['t0', 't1'])).toBe(0);
    expect(store.evict(['t49'])).toBe(1);
  });
});
