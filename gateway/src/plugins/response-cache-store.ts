// The gateway's response cache: an in-process LRU of finished responses, each tagged with what
// its answer was read from, so an event evicts exactly the entries it can have changed.
import { LRUCache } from 'lru-cache';

export interface CachedResponse {
  /** The response's `data`, as sent (responses with errors are never stored). */
  data: Record<string, unknown>;
  tags: readonly string[];
  /** The response body as sent on a hit; its length is what the entry costs. */
  body: string;
  /** The operation it answered, as a fast-path hit is counted (gateway_operations_total). */
  operation?: { name: string | null; rootField: string };
}

export interface ResponseCacheStoreOptions {
  maxEntries: number;
  /** Memory bound: the bodies (and keys) of all entries together, in UTF-16 code units (≈ bytes for JSON). */
  maxBytes: number;
  ttlMs: number;
}

/** One answer may take at most this share of the store, so a few huge answers cannot flush the rest. */
const MAX_ENTRY_SHARE = 1 / 16;

/**
 * Each replica keeps its own store (no shared Redis): a hit costs no network round trip, and
 * every replica hears every event (ephemeral bus group) and evicts for itself.
 */
export class ResponseCacheStore {
  private readonly entries: LRUCache<string, CachedResponse>;
  private readonly byTag = new Map<string, Set<string>>();
  /** Eviction clock: the tick of the last eviction of each tag (see `mark` / `set`). */
  private clock = 0;
  private readonly evictedAt = new Map<string, number>();

  constructor(opts: ResponseCacheStoreOptions) {
    this.entries = new LRUCache<string, CachedResponse>({
      max: opts.maxEntries,
      maxSize: opts.maxBytes,
      maxEntrySize: Math.max(1, Math.floor(opts.maxBytes * MAX_ENTRY_SHARE)),
      sizeCalculation: (entry, key) => entry.body.length + key.length,
      ttl: opts.ttlMs,
      // Keep the tag index in step with whatever removes an entry (eviction, LRU, TTL, overwrite).
      dispose: (entry, key) => {
        for (const tag of entry.tags) {
          const keys = this.byTag.get(tag);
          keys?.delete(key);
          if (keys?.size === 0) this.byTag.delete(tag);
        }
      },
    });
  }

  get size(): number {
    return this.entries.size;
  }

  /** What the entries take, in the unit of maxBytes. */
  get bytes(): number {
    return this.entries.calculatedSize;
  }

  get(key: string): CachedResponse | undefined {
    return this.entries.get(key);
  }

  /** The current tick; a request reads it before it fetches anything (see `set`). */
  mark(): number {
    return this.clock;
  }

  /**
   * Stores a response unless one of its tags (or its tag's whole domain) was evicted after
   * `since` (the request's `mark`): the request may then have read the old value before the
   * change and would otherwise put it back after the eviction that was meant to remove it.
   * `ttlMs` shortens the entry's life below the store's (its cache policy's maxAge). Returns
   * whether it stored.
   */
  set(key: string, entry: CachedResponse, since: number, ttlMs?: number): boolean {
    const evictedSince = (t: string) => (this.evictedAt.get(t) ?? -1) > since;
    if (entry.tags.some((tag) => evictedSince(tag) || evictedSince(domainPrefix(tag)))) return false;
    this.entries.set(key, entry, ttlMs === undefined ? undefined : { ttl: ttlMs });
    // Too large an answer is refused by the LRU (maxEntrySize): it is simply not cached.
    if (!this.entries.has(key)) return false;
    for (const tag of entry.tags) {
      let keys = this.byTag.get(tag);
      if (!keys) this.byTag.set(tag, (keys = new Set()));
      keys.add(key);
    }
    return true;
  }

  /**
   * Removes every entry carrying any of these tags; a tag ending in "/" (`stock/`) stands for
   * every tag of that domain (a write seen passing through, with no event to say what changed).
   * Returns how many went.
   */
  evict(tags: Iterable<string>): number {
    this.clock += 1;
    let removed = 0;
    const drop = (keys: Set<string> | undefined) => {
      for (const key of [...(keys ?? [])]) if (this.entries.delete(key)) removed += 1;
    };
    for (const tag of tags) {
      this.evictedAt.set(tag, this.clock);
      if (!tag.endsWith('/')) drop(this.byTag.get(tag));
      else for (const [t, keys] of [...this.byTag]) if (t.startsWith(tag)) drop(keys);
    }
    return removed;
  }
}

/** `stock/` for `stock/stock:SKU-1`: the marker a whole-domain eviction leaves. */
function domainPrefix(tag: string): string {
  return tag.slice(0, tag.indexOf('/') + 1);
}
