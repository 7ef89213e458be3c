// popularProducts: the catalog's best sellers of the last 7 days, from order.placed events.
// Rankings are cached briefly per category and evicted when an order touching that category
// (or the whole catalog's list) is recorded; TTL covers what events do not (a product moved
// to another category). Archived products are dropped at read time, so archiving shows at once.
import { badInput, type EntityCache } from '@grocery/platform';
import type { CatalogService } from './catalog-service';
import type { ProductRecord } from './product';

/** Units of one SKU in one order. */
export interface OrderedUnits {
  sku: string;
  quantity: number;
}

/** Sales over the popularity window; data/product-sales.ts reads them from product_sales_daily. */
export interface SalesRanking {
  /**
   * The window's best sellers, most units first, ties by SKU, archived products left out; in a
   * category and its sub-categories when given.
   */
  topSellers(args: { categoryId: string | null; limit: number }): Promise<string[]>;
  /** The categories these SKUs are listed under, their parents included. */
  categoriesOf(skus: readonly string[]): Promise<string[]>;
}

export const MAX_POPULAR = 50;
export const DEFAULT_POPULAR = 10;
const MAX_ID_LENGTH = 100;
/** Seconds a ranking may be served from cache; order events evict it sooner. */
export const POPULAR_TTL_SECONDS = 60;

/** The rankings' cache namespace, keyed by category id, "*" for the whole catalog. */
export const POPULAR_CACHE = 'products:popular:v1';
const ALL = '*';
const rankingKey = (categoryId: string | null) => categoryId ?? ALL;

/** Validated arguments: BAD_USER_INPUT for a blank or overlong category id and first outside 1-50. */
export function validatePopularArgs(args: { categoryId?: string | null; first?: number | null }): {
  categoryId: string | null;
  first: number;
} {
  const first = args.first ?? DEFAULT_POPULAR;
  if (!Number.isInteger(first) || first < 1 || first > MAX_POPULAR)
    throw badInput(`first must be an integer from 1 to ${MAX_POPULAR}.`, 'first');
  if (args.categoryId == null) return { categoryId: null, first };
  const categoryId = args.categoryId.trim();
  if (categoryId.length === 0 || categoryId.length > MAX_ID_LENGTH)
    throw badInput(
      `categoryId must be 1 to ${MAX_ID_LENGTH} characters; leave it out for the whole catalog.`,
      'categoryId',
    );
  return { categoryId, first };
}

export class PopularProducts {
  constructor(
    private readonly sales: SalesRanking,
    private readonly catalog: CatalogService,
    /** Ranked SKUs (up to MAX_POPULAR) per category, "*" for the whole catalog. */
    private readonly rankings: EntityCache<string[]>,
  ) {}

  async popularProducts(args: { categoryId?: string | null; first?: number | null }): Promise<ProductRecord[]> {
    const { categoryId, first } = validatePopularArgs(args);
    const [skus = []] = await this.rankings.loadMany(
      [rankingKey(categoryId)],
      async ([key]) => new Map([[key, await this.sales.topSellers({ categoryId, limit: MAX_POPULAR })]]),
    );
    const products = await this.catalog.productsBySkus(skus);
    return products.filter((p): p is ProductRecord => p !== null && p.archivedAt === null).slice(0, first);
  }

  /** Forgets the rankings an order of these SKUs changes: the whole catalog's and their categories'. */
  async evictForOrder(skus: readonly string[]): Promise<void> {
    const categories = await this.sales.categoriesOf(skus);
    await this.rankings.delete([rankingKey(null), ...categories.map(rankingKey)]);
  }
}
