// The catalog filter and facet counts as SQL over products.product (alias p), shared by browsing
// (products) and the PostgreSQL search engine so both mean exactly the same thing by a filter.
// Every user value is a bound parameter; the SQL text varies only with which filters are present.
import { MAX_BRAND_FACETS, PRICE_BUCKETS, type Facets } from '../domain/facets';
import type { SearchFilter } from '../domain/product-filter';

/** Binds a value as the next positional parameter and returns its placeholder. */
export type Bind = (value: unknown) => string;

export function binder(params: unknown[]): Bind {
  return (value) => {
    params.push(value);
    return `$${params.length}`;
  };
}

/** A text[] parameter (the driver adapter binds JSON text reliably; arrays are rebuilt from it). */
export const textArray = (placeholder: string) => `ARRAY(SELECT json_array_elements_text(${placeholder}::json))`;

/**
 * Predicates for a filter, each to be ANDed, always including "not archived". The filter must
 * already be validated (domain/product-filter.ts).
 */
export function filterPredicates(filter: SearchFilter | null | undefined, bind: Bind): string[] {
  const where = ['p.archived_at IS NULL'];
  if (!filter) return where;
  if (filter.categoryId) {
    const c = bind(filter.categoryId);
    // One array of ids (the category and its children) so the (category_id, sku) index serves it.
    where.push(`p.category_id = ANY (ARRAY(SELECT id FROM products.category WHERE id = ${c} OR parent_id = ${c}))`);
  }
  if (filter.dietary && filter.dietary.length > 0)
    where.push(`p.dietary @> ${textArray(bind(JSON.stringify(filter.dietary)))}`);
  if (filter.tags && filter.tags.length > 0) where.push(`p.tags @> ${textArray(bind(JSON.stringify(filter.tags)))}`);
  if (filter.isPerishable != null) where.push(`p.is_perishable = ${bind(filter.isPerishable)}::boolean`);
  if (filter.brand) where.push(`products.search_fold(p.brand) = products.search_fold(${bind(filter.brand)}::text)`);
  if (filter.minPrice != null) where.push(`p.price_amount >= ${bind(filter.minPrice)}::bigint`);
  if (filter.maxPrice != null) where.push(`p.price_amount <= ${bind(filter.maxPrice)}::bigint`);
  if (filter.expiringWithinDays != null) {
    const d = bind(filter.expiringWithinDays);
    where.push(
      `p.expires_at >= (now() AT TIME ZONE 'UTC') AND p.expires_at < (now() AT TIME ZONE 'UTC') + make_interval(days => ${d}::int)`,
    );
  }
  if (filter.minRating != null) where.push(`p.rating_average >= ${bind(filter.minRating)}::float8`);
  if (filter.inStockAt)
    where.push(
      `EXISTS (SELECT 1 FROM products.product_stock s WHERE s.sku = p.sku AND s.location_id = ${bind(filter.inStockAt)} AND s.available > 0)`,
    );
  return where;
}

/** `AND pred AND pred ...` (for appending to an existing WHERE). */
export function filterSql(filter: SearchFilter | null | undefined, bind: Bind): string {
  return filterPredicates(filter, bind)
    .map((w) => `\n      AND ${w}`)
    .join('');
}

/**
 * The product columns FACETS_SELECT counts: select them into `matched` (`p.sku${FACET_COLUMNS}`)
 * rather than joining back to products.product, which the planner misjudges into a full scan.
 */
export const FACET_COLUMNS = ', p.category_id, p.dietary, p.brand, p.price_amount';

/**
 * Facet counts over a CTE named `matched` carrying FACET_COLUMNS (define it in a WITH before this).
 * Returns one row: { categories, dietary, brands, buckets } as JSON.
 */
export const FACETS_SELECT = `
  , mp AS MATERIALIZED (
      SELECT m.category_id, c.parent_id, m.dietary, m.brand, m.price_amount
        FROM matched m JOIN products.category c ON c.id = m.category_id
    )
  SELECT
    (SELECT coalesce(json_agg(json_build_object('categoryId', id, 'count', n) ORDER BY n DESC, id), '[]'::json)
       FROM (SELECT id, count(*)::int AS n
               FROM (SELECT category_id AS id FROM mp UNION ALL SELECT parent_id FROM mp WHERE parent_id IS NOT NULL) ids
              GROUP BY id) t) AS categories,
    (SELECT coalesce(json_agg(json_build_object('label', label, 'count', n) ORDER BY n DESC, label), '[]'::json)
       FROM (SELECT label, count(*)::int AS n FROM mp, unnest(mp.dietary) AS label GROUP BY label) t) AS dietary,
    (SELECT coalesce(json_agg(json_build_object('brand', brand, 'count', n) ORDER BY n DESC, brand), '[]'::json)
       FROM (SELECT brand, count(*)::int AS n FROM mp WHERE brand IS NOT NULL GROUP BY brand
              ORDER BY n DESC, brand LIMIT ${MAX_BRAND_FACETS}) t) AS brands,
    (SELECT coalesce(json_agg(json_build_object('bucket', b, 'count', n)), '[]'::json)
       FROM (SELECT width_bucket(price_amount, ARRAY[${PRICE_BUCKETS.slice(1)
         .map((b) => `${b.min}::bigint`)
         .join(', ')}]) AS b, count(*)::int AS n FROM mp GROUP BY b) t) AS buckets`;

export interface FacetsRow {
  categories: unknown;
  dietary: unknown;
  brands: unknown;
  buckets: unknown;
}

/** JSON columns may arrive parsed or as text depending on the driver path. */
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export function facetsFromRow(row: FacetsRow | undefined): Facets {
  if (!row)
    return { categories: [], dietary: [], brands: [], priceBuckets: PRICE_BUCKETS.map((b) => ({ ...b, count: 0 })) };
  const bucketCounts = new Map(json<{ bucket: number; count: number }[]>(row.buckets).map((b) => [b.bucket, b.count]));
  return {
    categories: json(row.categories),
    dietary: json(row.dietary),
    brands: json(row.brands),
    // width_bucket returns 0 below the first bound, i for the i-th range, so bucket i = PRICE_BUCKETS[i].
    priceBuckets: PRICE_BUCKETS.map((b, i) => ({ ...b, count: bucketCounts.get(i) ?? 0 })),
  };
}
