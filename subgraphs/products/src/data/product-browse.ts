// Browsing the catalog: one page of SKUs in the requested order, the total, and facet counts,
// all under the same filter SQL the PostgreSQL search engine uses. Pages are keyset-paginated
// on (sort value, sku), so page 2,000 costs what page 2 does and concurrent edits never make a
// page repeat or skip rows that did not move.
import { badInput } from '@grocery/platform';
import type { Facets } from '../domain/facets';
import type { SearchFilter } from '../domain/product-filter';
import type { BrowseOrder, BrowsePosition, ProductBrowsing } from '../domain/product-browsing';
import {
  binder,
  FACET_COLUMNS,
  FACETS_SELECT,
  facetsFromRow,
  filterPredicates,
  type Bind,
  type FacetsRow,
} from '../search/product-filter-sql';
import type { ProductsDb } from './db';

/** The popularity window over product_sales_daily d: the last 7 business days (Asia/Ho_Chi_Minh), today included. */
export const POPULARITY_WINDOW_SQL = `d.day > (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 7`;

/** Units ordered in the popularity window. */
export const POPULARITY_SQL = `coalesce((
    SELECT sum(d.quantity) FROM products.product_sales_daily d
     WHERE d.sku = p.sku AND ${POPULARITY_WINDOW_SQL}), 0)::bigint`;

interface SortSpec {
  /** The sort key over products.product p. */
  expr: string;
  /** Cast for the cursor's value when bound back. */
  cast: string;
  /** Whether a cursor's value can be this key's (a forged one must not reach the cast in SQL). */
  accepts: (value: string | number) => boolean;
  desc: boolean;
  /** Nulls sort last (only RATING). */
  nullable: boolean;
  /** A join the expression reads from. */
  join?: string;
}

/** A bigint key as cursorValue writes it: a safe integer (prices) or its digits (sums). */
const isBigint = (v: string | number) => (typeof v === 'number' ? Number.isSafeInteger(v) : /^-?\d{1,18}$/.test(v));
/** A timestamp as cursorValue writes it (toISOString), a real date in PostgreSQL's range. */
const isTimestamp = (v: string | number) =>
  typeof v === 'string' &&
  /^(19[7-9]\d|2\d{3})-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(v) &&
  !Number.isNaN(Date.parse(v)) &&
  new Date(v).toISOString() === v;
const isFiniteNumber = (v: string | number) => typeof v === 'number' && Number.isFinite(v);

const SORTS: Record<BrowseOrder, SortSpec | null> = {
  SKU: null,
  PRICE_ASC: { expr: 'p.price_amount', cast: 'bigint', accepts: isBigint, desc: false, nullable: false },
  PRICE_DESC: { expr: 'p.price_amount', cast: 'bigint', accepts: isBigint, desc: true, nullable: false },
  NEWEST: { expr: 'p.created_at', cast: 'timestamp(3)', accepts: isTimestamp, desc: true, nullable: false },
  RATING: { expr: 'p.rating_average', cast: 'float8', accepts: isFiniteNumber, desc: true, nullable: true },
  // One aggregate over the window joined in, not a lookup per product: the whole catalog is sorted.
  POPULARITY: {
    expr: 'coalesce(pop.units, 0)::bigint',
    cast: 'bigint',
    accepts: isBigint,
    desc: true,
    nullable: false,
    join: `LEFT JOIN (SELECT d.sku, sum(d.quantity) AS units FROM products.product_sales_daily d
                       WHERE ${POPULARITY_WINDOW_SQL} GROUP BY d.sku) pop ON pop.sku = p.sku`,
  },
};

/** Rows strictly after `position` in the order `spec` (then SKU ascending). */
function afterPredicate(spec: SortSpec | null, position: BrowsePosition, bind: Bind): string {
  const sku = bind(position.sku);
  if (!spec) return `p.sku > ${sku}`;
  const { expr, cast, desc, nullable } = spec;
  if (position.value === null) {
    if (!nullable) throw badInput('after is not a cursor of this listing.', 'after');
    return `(${expr} IS NULL AND p.sku > ${sku})`;
  }
  if (!spec.accepts(position.value)) throw badInput('after is not a cursor of this listing.', 'after');
  const v = `${bind(position.value)}::${cast}`;
  const beyond = `${expr} ${desc ? '<' : '>'} ${v}`;
  return `(${beyond}${nullable ? ` OR ${expr} IS NULL` : ''} OR (${expr} = ${v} AND p.sku > ${sku}))`;
}

function orderBy(spec: SortSpec | null): string {
  if (!spec) return 'p.sku';
  return `${spec.expr} ${spec.desc ? 'DESC' : 'ASC'}${spec.nullable ? ' NULLS LAST' : ''}, p.sku`;
}

interface PageRow {
  sku: string;
  sort_value: string | number | bigint | Date | null;
}

/** The cursor form of a sort value: numbers as numbers, timestamps as ISO text, bigints as text. */
function cursorValue(v: PageRow['sort_value']): string | number | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  return v;
}

export class ProductBrowse implements ProductBrowsing {
  constructor(private readonly db: ProductsDb) {}

  /** One page: SKUs in order with the position each ends at, and whether more follow. */
  async page(args: {
    filter: SearchFilter | null;
    order: BrowseOrder;
    first: number;
    after: BrowsePosition | null;
  }): Promise<{ rows: { sku: string; position: BrowsePosition }[]; hasNextPage: boolean }> {
    if (args.first === 0) return { rows: [], hasNextPage: false };
    const spec = SORTS[args.order];
    const params: unknown[] = [];
    const bind = binder(params);
    const where = filterPredicates(args.filter, bind);
    if (args.after) where.push(afterPredicate(spec, args.after, bind));
    const limit = bind(args.first + 1);
    const sql = `
      SELECT p.sku, ${spec ? spec.expr : 'NULL::text'} AS sort_value
        FROM products.product p ${spec?.join ?? ''}
       WHERE ${where.join('\n         AND ')}
       ORDER BY ${orderBy(spec)}
       LIMIT ${limit}::int`;
    const rows = await this.db.$queryRawUnsafe<PageRow[]>(sql, ...params);
    return {
      rows: rows
        .slice(0, args.first)
        .map((r) => ({ sku: r.sku, position: { value: cursorValue(r.sort_value), sku: r.sku } })),
      hasNextPage: rows.length > args.first,
    };
  }

  async count(filter: SearchFilter | null): Promise<number> {
    const params: unknown[] = [];
    const where = filterPredicates(filter, binder(params));
    const [row] = await this.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM products.product p WHERE ${where.join(' AND ')}`,
      ...params,
    );
    return row?.n ?? 0;
  }

  async facets(filter: SearchFilter | null): Promise<Facets> {
    const params: unknown[] = [];
    const where = filterPredicates(filter, binder(params));
    const rows = await this.db.$queryRawUnsafe<FacetsRow[]>(
      `WITH matched AS MATERIALIZED (SELECT p.sku${FACET_COLUMNS} FROM products.product p WHERE ${where.join(' AND ')})${FACETS_SELECT}`,
      ...params,
    );
    return facetsFromRow(rows[0]);
  }
}
