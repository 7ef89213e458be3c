// Catalog rules: reads go through the entity cache; staff edits validate, commit with
// their event, then evict the cache entry so this replica never serves its own stale write.
import { ReferenceData, requireRole, type EntityCache, type Identity, type Logger } from '@grocery/platform';
import {
  categoryArchived,
  categoryCreated,
  categoryUpdated,
  productArchived,
  productCreated,
  productUpdated,
  PRODUCTS_TOPIC,
} from '../events/product-events';
import { decodeCursor, encodeCursor, validateFirst } from './cursor';
import type { Facets } from './facets';
import {
  browseFingerprint,
  decodeBrowseCursor,
  encodeBrowseCursor,
  type BrowseOrder,
  type BrowsePosition,
  type ProductBrowsing,
} from './product-browsing';
import { validateFilter, type SearchFilter } from './product-filter';
import type { ProductSortKey } from './product-sort';
import type { ProductStore } from './product-store';
import {
  validateCategoryPatch,
  validateNewCategory,
  validateNewProduct,
  validatePatch,
  validateProductState,
  type CategoryRecord,
  type ProductInput,
  type ProductRecord,
} from './product';

const DATE_FIELDS = ['createdAt', 'updatedAt', 'expiresAt', 'archivedAt'] as const;
type DateField = (typeof DATE_FIELDS)[number];

/** Cached form: JSON-safe (dates as ISO strings). */
type CachedProduct = Omit<ProductRecord, DateField> & { [K in DateField]: string | null };

/**
 * The products' cache namespace, keyed by SKU. v2: the entry gained the full catalog model (an
 * old replica's entries are not read).
 */
export const PRODUCT_CACHE = 'products:product:v2';

const toCached = (p: ProductRecord): CachedProduct => {
  const c = { ...p } as unknown as CachedProduct;
  for (const f of DATE_FIELDS) c[f] = p[f]?.toISOString() ?? null;
  return c;
};
const fromCached = (c: CachedProduct): ProductRecord => {
  const p = { ...c } as unknown as ProductRecord;
  for (const f of DATE_FIELDS)
    (p as unknown as Record<DateField, Date | null>)[f] = c[f] === null ? null : new Date(c[f]);
  return p;
};

export interface ProductPage {
  totalCount: number;
  edges: { cursor: string; node: ProductRecord }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Facet counts over everything the page's query matched; computed only when asked for. */
  facets: () => Promise<Facets>;
  /** A search that matched no product on every word and shows partial matches instead. */
  partialMatch: boolean;
}

export class CatalogService {
  /** Categories: a few dozen rows, read by every product page; kept in process for 30 s. */
  private readonly categoryTable: ReferenceData<string, CategoryRecord>;

  constructor(
    private readonly repo: ProductStore,
    private readonly browse: ProductBrowsing,
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
    const cached = await this.cache.loadMany(skus, async (missing) => {
      const rows = await this.repo.findBySkus(missing);
      return new Map(rows.map((r) => [r.sku, toCached(r)]));
    });
    return cached.map((c) => (c === undefined ? null : fromCached(c)));
  }

  categoriesByIds(ids: readonly string[]): Promise<(CategoryRecord | null)[]> {
    return this.categoryTable.many(ids);
  }

  /** Live categories (archived ones are left out of the tree). */
  async categories(): Promise<CategoryRecord[]> {
    return [...(await this.categoryTable.get()).values()].filter((c) => !c.archivedAt);
  }

  /**
   * One page of the catalog under a filter, in SKU order (sort null) or a sort. Archived
   * products are never listed. Facets are computed only if the client selects them.
   */
  async listProducts(args: {
    first: number;
    after?: string | null;
    filter?: SearchFilter | null;
    sort?: ProductSortKey | null;
  }): Promise<ProductPage> {
    const first = validateFirst(args.first, this.maxPageSize);
    const filter = validateFilter(args.filter);
    const order: BrowseOrder = !args.sort ? 'SKU' : args.sort === 'RELEVANCE' ? 'POPULARITY' : args.sort;
    const fingerprint = browseFingerprint(order, filter);
    const toCursor = (position: BrowsePosition) =>
      order === 'SKU' ? encodeCursor(position.sku) : encodeBrowseCursor(position, fingerprint);
    const after = !args.after
      ? null
      : order === 'SKU'
        ? { value: null, sku: decodeCursor(args.after) }
        : decodeBrowseCursor(args.after, fingerprint);
    const [page, totalCount] = await Promise.all([
      this.browse.page({ filter, order, first, after }),
      this.browse.count(filter),
    ]);
    const nodes = await this.productsBySkus(page.rows.map((r) => r.sku));
    const edges = page.rows.flatMap((r, i) => {
      const node = nodes[i];
      return node ? [{ cursor: toCursor(r.position), node }] : [];
    });
    return {
      totalCount,
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      facets: () => this.browse.facets(filter),
      partialMatch: false,
    };
  }

  async createProduct(identity: Identity | undefined, input: ProductInput & { sku: string }): Promise<ProductRecord> {
    requireRole(identity, 'staff');
    const product = validateNewProduct(input);
    const created = await this.repo.create(product, PRODUCTS_TOPIC, productCreated);
    this.afterCommit();
    // A read of this SKU before it existed may have cached "no such product" nowhere (misses
    // are not cached), so there is nothing to evict.
    return created;
  }

  async updateProduct(identity: Identity | undefined, sku: string, input: ProductInput): Promise<ProductRecord> {
    requireRole(identity, 'staff');
    const patch = validatePatch(input);
    const updated = await this.repo.update(
      sku,
      patch,
      PRODUCTS_TOPIC,
      (p) => productUpdated(p, patch),
      validateProductState,
    );
    this.afterCommit();
    await this.evictAfterWrite(sku);
    return updated;
  }

  async archiveProduct(identity: Identity | undefined, sku: string): Promise<ProductRecord> {
    requireRole(identity, 'staff');
    const archived = await this.repo.archive(sku, PRODUCTS_TOPIC, productArchived);
    this.afterCommit();
    await this.evictAfterWrite(sku);
    return archived;
  }

  async createCategory(
    identity: Identity | undefined,
    input: Parameters<typeof validateNewCategory>[0],
  ): Promise<CategoryRecord> {
    requireRole(identity, 'staff');
    const created = await this.repo.createCategory(validateNewCategory(input), PRODUCTS_TOPIC, categoryCreated);
    this.afterCommit();
    this.categoryTable.invalidate();
    return created;
  }

  async updateCategory(
    identity: Identity | undefined,
    id: string,
    input: Parameters<typeof validateCategoryPatch>[0],
  ): Promise<CategoryRecord> {
    requireRole(identity, 'staff');
    const updated = await this.repo.updateCategory(id, validateCategoryPatch(input), PRODUCTS_TOPIC, categoryUpdated);
    this.afterCommit();
    this.categoryTable.invalidate();
    return updated;
  }

  async archiveCategory(identity: Identity | undefined, id: string): Promise<CategoryRecord> {
    requireRole(identity, 'staff');
    const archived = await this.repo.archiveCategory(id, PRODUCTS_TOPIC, categoryArchived);
    this.afterCommit();
    this.categoryTable.invalidate();
    return archived;
  }

  /** category.* events: every replica drops its copy of the category table. */
  forgetCategories(): void {
    this.categoryTable.invalidate();
  }

  /**
   * The change is committed: a cache outage must not turn it into an error. The event's
   * consumers evict again (and retry) once the cache is back.
   */
  private async evictAfterWrite(sku: string): Promise<void> {
    await this.cache
      .delete([sku])
      .catch((err) => this.logger.warn({ err, sku }, 'cache eviction after a write failed; the event will retry it'));
  }

  /** Event-driven eviction (every replica's view converges on the database). */
  evict(skus: readonly string[]): Promise<void> {
    return this.cache.delete(skus);
  }
}
