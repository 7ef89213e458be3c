import type { WindowCounter } from '../rate-limit/sliding-window';

// What an EntityCache stores into: full keys and JSON strings. Two stores: memory-only and
// LRU-in-front-of-Redis.

export interface CacheStore {
  readonly kind: 'memory' | 'redis';
  /** Aligned with `keys`; undefined where missed. */
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  setMany(entries: ReadonlyArray<readonly [key: string, json: string]>, ttlMs: number): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  ready(): Promise<void>;
  close(): Promise<void>;
  /** Counters for rate limits, on the same store (so shared by replicas when it is Redis). */
  windowCounter(): WindowCounter;
}
