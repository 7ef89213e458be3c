// Search over the catalog table itself: the migrations keep folded names (lower case, no
// diacritics, đ→d, y→i) and a weighted tsvector in generated columns, indexed with GIN. A search
// is one statement: candidates from full text, from a matching category, or (when the words are
// rare) from trigram look-alikes of the names; every candidate that passes the filters gets a
// cheap score, and only the best of those get the full blend of trigram similarities, which
// costs ≈15 µs a row (ranking whole departments with it is what made broad queries slow).
// Every user value is a bound parameter; the SQL text varies only with which filters are present.
import { inLocale } from '@grocery/platform';
import type { ProductsDb } from '../data/db';
import { POPULARITY_SQL } from '../data/product-browse';
import {
  binder,
  FACET_COLUMNS,
  FACETS_SELECT,
  facetsFromRow,
  filterSql,
  type Bind,
  type FacetsRow,
} from './product-filter-sql';
import { searchFingerprint } from '../domain/query-fingerprint';
import { decodeSearchCursor, encodeSearchCursor } from './search-cursor';
import type { Facets } from '../domain/facets';
import type { SearchFilter } from '../domain/product-filter';
import type { ProductSortKey } from '../domain/product-sort';
import type {
  FacetsRequest,
  IndexableProduct,
  SearchEngine,
  SearchRequest,
  SearchResult,
  SuggestRequest,
  Suggestion,
} from './search-engine';

/** pg_trgm's `<%` threshold for suggestions (see the search_*_lookalikes functions for search). */
const SIMILARITY_THRESHOLD = { oneWord: 0.48, severalWords: 0.6 };
/**
 * Typo tolerance is a fallback: when every word of the query is found (full text) in at least
 * this many products, trigram look-alikes would only bury them ("banh mi" would pull in every
 * "bánh ..."), and ranking thousands of them is what makes broad queries slow.
 */
const FUZZY_BELOW_EXACT = 20;
/** Categories are few and their names short: only a close match pulls in a whole category. */
const CATEGORY_MATCH_THRESHOLD = 0.7;
/**
 * How many candidates, best by the cheap score, get the full ranking. The cheap score has every
 * term of the blend except the trigram similarities to brand and tags (≤ 2.3 together) and, for
 * names without the query as a phrase, to names; so beyond the first page or two the order is the
 * cheap one. Fixed, not derived from the page, so that every page cuts the same list.
 */
const FULLY_RANKED = 200;

/**
 * The query folded by products.search_fold (the generated columns' own function, so both sides
 * fold alike) and its full-text form. $1 is the raw query: the function is IMMUTABLE, so the
 * planner folds it once into a constant and estimates with the real words.
 */
const Q = 'products.search_fold($1::text)';
/** Every word of the query. */
const TSQ = `plainto_tsquery('simple', ${Q})`;
/** Any word of the query (partial matching): the same terms joined by OR. */
const TSQ_ANY = `replace(${TSQ}::text, ' & ', ' | ')::tsquery`;
const tsqueryOf = (matchAnyWord: boolean | undefined) => (matchAnyWord ? TSQ_ANY : TSQ);

/**
 * A query that is a category's name (or one part of it: "Cà phê & Trà") asks for that
 * category, e.g. "trái cây" for fruit rather than canned "trái cây thập cẩm".
 */
const CATEGORY_NAMED_BOOST = 10.0;

/** The query as a whole-word phrase of a folded name: trigram word similarity is then exactly 1. */
const phraseIn = (column: string) => `(' ' || ${column} || ' ') LIKE ('% ' || ${Q} || ' %')`;

/** The blend's terms that need no trigram similarity: category, full text, phrase and prefix. */
const cheapSql = (tsq: string) => `
    1.0 * coalesce(cat.similarity, 0)
  + CASE WHEN cat.named THEN ${CATEGORY_NAMED_BOOST} ELSE 0 END
  + 4.0 * ts_rank(p.search_vector, ${tsq})
  + CASE WHEN ${phraseIn('p.search_name_vi')} OR ${phraseIn('p.search_name_en')} THEN 1.0
         WHEN (' ' || p.search_name_vi) LIKE ('% ' || ${Q} || '%')
           OR (' ' || p.search_name_en) LIKE ('% ' || ${Q} || '%') THEN 0.5
         ELSE 0 END
  + CASE WHEN p.search_name_vi LIKE (${Q} || '%') OR p.search_name_en LIKE (${Q} || '%') THEN 0.5 ELSE 0 END`;

/**
 * The whole blend; names are the strongest signal, descriptions the weakest. `name` holds each
 * name's word similarity (1 without computing it when the query is a phrase of the name).
 * $2 is the request locale.
 */
const rankSql = (tsq: string) => `${cheapSql(tsq)}
  + 3.0 * greatest(name.vi, name.en)
  + 1.5 * word_similarity(${Q}, p.search_brand)
  + 0.8 * word_similarity(${Q}, p.search_tags)
  + 0.1 * CASE WHEN $2 = 'vi' THEN name.vi ELSE name.en END`;

const NAME_SIMILARITY_SQL = `
  CROSS JOIN LATERAL (
    SELECT CASE WHEN ${phraseIn('p.search_name_vi')} THEN 1 ELSE word_similarity(${Q}, p.search_name_vi) END AS vi,
           CASE WHEN ${phraseIn('p.search_name_en')} THEN 1 ELSE word_similarity(${Q}, p.search_name_en) END AS en
    OFFSET 0
  ) AS name`;

/**
 * The cheap score that picks the FULLY_RANKED: in look-alike mode (rare words, typos) the
 * candidates share no full-text word with the query, so it takes the names' similarity too.
 */
const preRankSql = (tsq: string) => `${cheapSql(tsq)}
  + CASE WHEN (SELECT fuzzy FROM mode) THEN 3.0 * greatest(word_similarity(${Q}, p.search_name_vi), word_similarity(${Q}, p.search_name_en))
         WHEN ${phraseIn('p.search_name_vi')} OR ${phraseIn('p.search_name_en')} THEN 3.0
         ELSE 0 END
  + CASE WHEN ${phraseIn('p.search_brand')} THEN 1.5 ELSE 0 END
  + CASE WHEN ${phraseIn('p.search_tags')} THEN 0.8 ELSE 0 END`;

/** Non-relevance orders: the key over products.product p, then SKU. */
const SORT_KEYS: Record<Exclude<ProductSortKey, 'RELEVANCE'>, { expr: string; order: string }> = {
  PRICE_ASC: { expr: 'p.price_amount', order: 'ASC' },
  PRICE_DESC: { expr: 'p.price_amount', order: 'DESC' },
  POPULARITY: { expr: POPULARITY_SQL, order: 'DESC' },
  RATING: { expr: 'p.rating_average', order: 'DESC NULLS LAST' },
  NEWEST: { expr: 'p.created_at', order: 'DESC' },
};

interface HitRow {
  sku: string | null;
  score: number | null;
  total: number;
}

interface SuggestionRow {
  sku: string;
  text: string;
}

/**
 * WITH ... matched(sku, <columns>): every product matching the query ($1) and the filters, in
 * one pass over the product rows (a BitmapOr of the three indexes). `columns` are computed per
 * matched row over products.product p with the product's category as `cat`.
 */
function matchedSql(filters: string, columns: string, tsq: string): string {
  return `
      WITH cat AS MATERIALIZED (
        SELECT c.id,
               greatest(word_similarity(${Q}, c.search_name), coalesce(word_similarity(${Q}, parent.search_name), 0)) AS similarity,
               (${Q} = ANY (c.search_parts) OR coalesce(${Q} = ANY (parent.search_parts), false)) AS named
          FROM products.category c LEFT JOIN products.category parent ON parent.id = c.parent_id
      ),
      -- Look-alikes only when the words themselves are rare: a typo, or a name we lack.
      mode AS MATERIALIZED (
        SELECT (SELECT count(*) FROM (SELECT 1 FROM products.product WHERE search_vector @@ ${tsq}
                                       LIMIT ${FUZZY_BELOW_EXACT}) e) < ${FUZZY_BELOW_EXACT} AS fuzzy
      ),
      matched AS MATERIALIZED (
        SELECT p.sku${columns}
          FROM products.product p
          LEFT JOIN cat ON cat.id = p.category_id
         WHERE ${Q} <> ''
           AND (p.search_vector @@ ${tsq}
                OR p.category_id = ANY (ARRAY(SELECT id FROM cat WHERE similarity >= ${CATEGORY_MATCH_THRESHOLD}))
                -- A sub-select, so that the planner does not run it to estimate the row count.
                OR p.sku = ANY ((SELECT CASE WHEN NOT fuzzy THEN '{}'::text[]
                                             WHEN position(' ' IN ${Q}) > 0 THEN products.search_phrase_lookalikes(${Q})
                                             ELSE products.search_word_lookalikes(${Q}) END FROM mode)::text[]))${filters}
      )`;
}

/** The page (LIMIT, OFFSET bound by `bind`) and the total, as HitRows; one row even when empty. */
function pageSql(order: string, limit: string, offset: string): string {
  return `
      SELECT page.sku, page.score::float8 AS score, total.n AS total
        FROM (SELECT count(*)::int AS n FROM matched) total
        LEFT JOIN LATERAL (${order} LIMIT ${limit}::int OFFSET ${offset}::int) page ON true`;
}

function relevanceSql(
  filter: SearchFilter | null | undefined,
  bind: Bind,
  offset: number,
  first: number,
  tsq: string,
): string {
  const filters = filterSql(filter, bind);
  // Pages within the fully ranked list need nothing else; deeper ones continue in cheap order.
  const rest =
    offset + first + 1 <= FULLY_RANKED
      ? ''
      : `UNION ALL
              SELECT m.sku, m.pre, 1 FROM matched m WHERE NOT EXISTS (SELECT 1 FROM top WHERE top.sku = m.sku)`;
  return `${matchedSql(filters, `, (${preRankSql(tsq)}) AS pre`, tsq)},
      top AS MATERIALIZED (SELECT sku FROM matched ORDER BY pre DESC, sku LIMIT ${FULLY_RANKED}),
      ranked AS (
        SELECT p.sku, (${rankSql(tsq)}) AS score
          FROM top JOIN products.product p ON p.sku = top.sku
          LEFT JOIN cat ON cat.id = p.category_id${NAME_SIMILARITY_SQL}
      )${pageSql(
        `SELECT sku, score FROM (
              SELECT sku, score, 0 AS tier FROM ranked
              ${rest}
            ) o ORDER BY tier, score DESC, sku`,
        bind(first + 1),
        bind(offset),
      )}`;
}

function sortedSql(
  sort: Exclude<ProductSortKey, 'RELEVANCE'>,
  filter: SearchFilter | null | undefined,
  bind: Bind,
  offset: number,
  first: number,
  tsq: string,
): string {
  const key = SORT_KEYS[sort];
  const filters = filterSql(filter, bind);
  return `${matchedSql(filters, `, ${key.expr} AS sort_value`, tsq)}${pageSql(
    `SELECT sku, 0 AS score FROM matched ORDER BY sort_value ${key.order}, sku`,
    bind(first + 1),
    bind(offset),
  )}`;
}

export class PostgresSearchEngine implements SearchEngine {
  readonly name = 'postgres';

  constructor(private readonly db: ProductsDb) {}

  async search(request: SearchRequest): Promise<SearchResult> {
    const sort = request.sort ?? 'RELEVANCE';
    const fingerprint = searchFingerprint(request.query, request.filter, sort);
    const offset = request.after ? decodeSearchCursor(request.after, fingerprint) : 0;
    // $1 query, $2 locale; filters, limit and offset follow.
    const params: unknown[] = [request.query, request.locale];
    const bind = binder(params);
    // One extra row tells whether there is a next page.
    const tsq = tsqueryOf(request.matchAnyWord);
    const sql =
      sort === 'RELEVANCE'
        ? relevanceSql(request.filter, bind, offset, request.first, tsq)
        : // $2 is unused here, and PostgreSQL refuses a parameter it cannot type.
          `${sortedSql(sort, request.filter, bind, offset, request.first, tsq)} WHERE $2::text IS NOT NULL`;
    const rows = await this.db.$queryRawUnsafe<HitRow[]>(sql, ...params);
    const totalCount = rows[0]?.total ?? 0;
    const page = rows.filter((r): r is HitRow & { sku: string } => r.sku !== null).slice(0, request.first);
    const hits = page.map((r, i) => ({
      sku: r.sku,
      score: Number(r.score),
      cursor: encodeSearchCursor(offset + i + 1, fingerprint),
    }));
    const more = rows.filter((r) => r.sku !== null).length > request.first;
    return { totalCount, hits, nextCursor: more ? (hits.at(-1)?.cursor ?? null) : null };
  }

  async facets(request: FacetsRequest): Promise<Facets> {
    // $1 query; $2 (the locale in a search) is bound and referenced once, because PostgreSQL
    // refuses a statement with a parameter it cannot type.
    const params: unknown[] = [request.query, request.locale];
    const filters = filterSql(request.filter, binder(params));
    const sql = `${matchedSql(filters, FACET_COLUMNS, tsqueryOf(request.matchAnyWord))}${FACETS_SELECT}\n  WHERE $2::text IS NOT NULL`;
    const rows = await this.db.$queryRawUnsafe<FacetsRow[]>(sql, ...params);
    return facetsFromRow(rows[0]);
  }

  async suggest(request: SuggestRequest): Promise<Suggestion[]> {
    // The column name comes from this whitelist, never from the request.
    const [own, other] = inLocale(request.locale, {
      en: ['search_name_en', 'search_name_vi'],
      vi: ['search_name_vi', 'search_name_en'],
    });
    const text = inLocale(request.locale, { en: 'name_en', vi: 'name_vi' });
    const sql = `
      SELECT p.sku, p.${text} AS text
        FROM products.product p
       WHERE p.${own} LIKE (${Q} || '%') OR p.${other} LIKE (${Q} || '%')
          -- Mid-name and look-alike matches need a trigram to use the index: 3 characters or more.
          OR (length(${Q}) >= 3 AND (p.${own} LIKE ('%' || ${Q} || '%') OR ${Q} <% p.${own}))
       ORDER BY CASE WHEN p.${own} LIKE (${Q} || '%') THEN 0
                     WHEN (' ' || p.${own}) LIKE ('% ' || ${Q} || '%') THEN 1
                     WHEN p.${other} LIKE (${Q} || '%') THEN 2
                     ELSE 3 END,
                word_similarity(${Q}, p.${own}) DESC, length(p.${text}), p.sku
       LIMIT $2::int`;
    const rows = await this.folded<SuggestionRow>(request.prefix, sql, [null, request.limit]);
    return rows.map((r) => ({ sku: r.sku, text: r.text }));
  }

  /** The table is the index: generated columns are current as soon as a write commits. */
  async index(_products: readonly IndexableProduct[]): Promise<void> {}

  async remove(_skus: readonly string[], _versions?: ReadonlyMap<string, number>): Promise<void> {}

  /**
   * Folds the text, then runs `sql` with it as $1 (params[0]), in one transaction that sets our
   * trigram threshold. Sequential scans and JIT are off there too: the planner costs pg_trgm's
   * operators like `=`, so it would rather evaluate word_similarity on every row (≈30 µs each)
   * than use the GIN indexes, and with that fixed the inflated costs would trigger a JIT compile
   * costing a second. Text that folds to nothing (no Latin letters or digits) matches nothing.
   */
  private folded<T>(text: string, sql: string, params: unknown[]): Promise<T[]> {
    return this.db.$transaction(async (tx) => {
      const [{ folded }] = await tx.$queryRawUnsafe<{ folded: string }[]>(
        `WITH q AS (SELECT products.search_fold($1::text) AS folded),
              t AS (SELECT CASE WHEN position(' ' IN folded) > 0 THEN $3 ELSE $2 END AS threshold FROM q)
         SELECT folded,
                set_config('pg_trgm.strict_word_similarity_threshold', threshold, true),
                set_config('pg_trgm.word_similarity_threshold', threshold, true),
                set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)
           FROM q, t`,
        text,
        String(SIMILARITY_THRESHOLD.oneWord),
        String(SIMILARITY_THRESHOLD.severalWords),
      );
      if (!folded) return [];
      return tx.$queryRawUnsafe<T[]>(sql, folded, ...params.slice(1));
    });
  }
}
