// Cached values are JSON. A value JSON cannot carry fails here, with the offending field
// named, instead of deep inside JSON.stringify ("Do not know how to serialize a BigInt").

export class CacheValueError extends Error {
  override readonly name = 'CacheValueError';
}

/** Path to the first BigInt inside `value` ("price.amount", "lots[2].qty"), if any. */
function findBigInt(value: unknown, path: string): string | undefined {
  if (typeof value === 'bigint') return path || '(the value itself)';
  if (value === null || typeof value !== 'object') return undefined;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    const found = findBigInt(child, childPath);
    if (found) return found;
  }
  return undefined;
}

export function encodeCacheValue(fullKey: string, value: unknown): string {
  if (value === undefined) {
    throw new CacheValueError(`cache ${fullKey}: undefined cannot be cached (cache null to remember "not found")`);
  }
  try {
    return JSON.stringify(value);
  } catch (err) {
    const bigintAt = err instanceof TypeError && /BigInt/i.test(err.message) ? findBigInt(value, '') : undefined;
    if (bigintAt) {
      throw new CacheValueError(
        `cache ${fullKey}: field ${bigintAt} is a BigInt, which JSON cannot hold; convert it to a string or number before caching`,
      );
    }
    throw new CacheValueError(`cache ${fullKey}: value is not JSON-serialisable: ${(err as Error).message}`);
  }
}

export function decodeCacheValue<T>(json: string): T {
  return JSON.parse(json) as T;
}
