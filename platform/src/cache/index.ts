// Cache: the EntityCache API and the factory that picks memory-only or LRU + Redis.
export * from './entity-cache';
export { CacheValueError } from './cache-value';
export * from './create-cache-factory';
export { ReferenceData } from './reference-data';
export { countCacheLookups } from './cache-lookups';
