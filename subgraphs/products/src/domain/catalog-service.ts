// Catalog rules: reads go through the entity cache; staff edits validate, commit with
// their event, then evict the cache entry so this replica never serves its own stale write.
import { ReferenceData, requireRole, type EntityCache, type Identity, type Logger } from '@grocery/platform';
import { productUpdated, PRODUCTS_TOPIC } from '../events/product-events';
import type { ProductRepository } from '../data/product-repository';
import { decodeCursor, encodeCursor, validateFirst } from './cursor';
import { validatePatch, type CategoryRecord, type ProductRecord } from './product';

/** Cached form: JSON-safe (dates as ISO strings). */
type CachedProduct = Omit<ProductRecord, 'updatedAt'> & { updatedAt: string };

export const productCacheKey = (sku: string) => sku;

const toCached = (p: ProductRecord): CachedProduct => ({ ...p, updatedAt: p.updatedAt.toISOString() });
const fromCached = (c: CachedProduct): ProductRecord => ({ ...c, updatedAt: new Date(c.updatedAt) });

export interface ProductPage {
  totalCount: number;
  edges: { cursor: string; node: ProductRecord }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export class CatalogService {
  /** Categories: a few dozen rows, read by every product page; kept in process for 30 s. */
  private readonly categoryTable: ReferenceData<string, CategoryRecord>;

  constructor(
    private readonly repo: ProductRepository,
    private readonly cache: EntityCache<CachedProduct>,
    private readonly afterCommit: () => void,
    private readonly maxPageSize: number,
    private readonly logger: Logger,
  ) {
    this.categoryTable = new ReferenceData(
      () => repo.allCategories(),
      (c) => c.id,
    );
  }

  /** Products for the given SKUs, aligned with the input (null when unknown). */
  async productsBySkus(skus: readonly string[]): Promise<(ProductRecord | null)[]> {
    const cached = await this.cache.getMany(skus.map(productCacheKey));
    const missing = skus.filter((_, i) => cached[i] === undefined);
    const found = new Map<string, ProductRecord>();
    if (missing.length > 0) {
      const rows = await this.repo.findBySkus(missing);
      for (const r of rows) found.set(r.sku, r);
      if (rows.length > 0) await this.cache.setMany(rows.map((r) => [productCacheKey(r.sku), toCached(r)]));
    }
    return skus.map((sku, i) => {
      const c = cached[i];
      return c !== undefined ? fromCached(c) : (found.get(sku) ?? null);
    });
  }

  categoriesByIds(ids: readonly string[]): Promise<(CategoryRecord | null)[]> {
    return this.categoryTable.many(ids);
  }

  async categories(): Promise<CategoryRecord[]> {
    return [...(await this.categoryTable.get()).values()];
  }

  async listProducts(args: {
    first: number;
    after?: string | null;
    filter?: { categoryId?: string; isPerishable?: boolean; brand?: string } | null;
  }): Promise<ProductPage> {
    const first = validateFirst(args.first, this.maxPageSize);
    const afterSku = args.after ? decodeCursor(args.after) : undefined;
    const { rows, totalCount, hasNextPage } = await this.repo.list({ first, afterSku, ...(args.filter ?? {}) });
    const edges = rows.map((node) => ({ cursor: encodeCursor(node.sku), node }));
    return { totalCount, edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  async updateProduct(
    identity: Identity | undefined,
    sku: string,
    input: Parameters<typeof validatePatch>[0],
  ): Promise<ProductRecord> {
    requireRole(identity, 'staff');
    const patch = validatePatch(input);
    const updated = await this.repo.update(sku, patch, PRODUCTS_TOPIC, (p) => productUpdated(p, patch));
    this.afterCommit();
    // The change is committed: a cache outage must not turn it into an error. The event's
    // consumers evict again (and retry) once the cache is back.
    await this.cache
      .delete([productCacheKey(sku)])
      .catch((err) => this.logger.warn({ err, sku }, 'cache eviction after update failed; the event will retry it'));
    return updated;
  }

  /** Event-driven eviction (every replica's view converges on the database). */
  evict(skus: readonly string[]): Promise<void> {
    return this.cache.delete(skus.map(productCacheKey));
  }
}
