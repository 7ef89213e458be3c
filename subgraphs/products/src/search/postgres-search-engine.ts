// Search over the catalog table itself: the migration keeps folded names (lower case, no
// diacritics, đ→d, y→i) and a weighted tsvector in generated columns, indexed with GIN. A search
// is one statement after folding the query: candidates from full text, trigram strict word
// similarity on either name, or a matching category; ranked by a blend of trigram similarity,
// ts_rank, category match and phrase/prefix boosts. Every user value is a bound parameter; the
// SQL text varies only with which filters are present.
import type { ProductsDb } from '../data/db';
import { binder, FACETS_SELECT, facetsFromRow, filterSql, type FacetsRow } from './product-filter-sql';
import { decodeSearchCursor, encodeSearchCursor, searchFingerprint } from './search-cursor';
import type {
  Facets,
  IndexableProduct,
  SearchEngine,
  SearchRequest,
  SearchResult,
  Suggestion,
  SuggestRequest,
} from './search-engine';

/**
 * pg_trgm's `<<%` threshold: strict word similarity of the query to the best stretch of whole
 * words in the product's text. A one-letter typo in a one-word query scores about 0.5
 * ("heiniken", "choclate" 0.58); a longer query with a typo still scores 0.7 or more, while one
 * that merely shares a common word ("trai cay" vs "túi 3 trái", "nuoc tuong" vs "nuoc mam")
 * scores 0.45–0.5, so longer queries get a stricter threshold and far fewer rows to rank.
 */
const SIMILARITY_THRESHOLD = { oneWord: 0.48, severalWords: 0.6 };
/**
 * Typo tolerance is a fallback: when every word of the query is found (full text) in at least
 * this many products, trigram look-alikes would only bury them ("banh mi" would pull in every
 * "bánh ..."), and ranking thousands of them is what makes broad queries slow.
 */
const FUZZY_BELOW_EXACT = 20;
/**
 * Bounds the work of a query made of very common words ("of" is in every "Pack of 6"): only the
 * best this-many full-text matches by ts_rank go on to the full ranking (and the total).
 */
const MAX_EXACT_CANDIDATES = 2000;
/** Categories are few and their names short: only a close match pulls in a whole category. */
const CATEGORY_MATCH_THRESHOLD = 0.7;

/**
 * $1 in the search and suggest statements: the query already folded by products.search_fold
 * (the generated columns' own function, so both sides fold alike), and its full-text form.
 */
const Q = '$1::text';
const TSQ = `plainto_tsquery('simple', ${Q})`;

/**
 * A query that is a category's name (or one part of it: "Cà phê & Trà") asks for that
 * category, e.g. "trái cây" for fruit rather than canned "trái cây thập cẩm".
 */
const CATEGORY_NAMED_BOOST = 10.0;

/** The ranking blend; names are the strongest signal, descriptions the weakest. */
const RANK_SQL = `
    3.0 * greatest(name.vi, name.en)
  + 1.5 * word_similarity(${Q}, p.search_brand)
  + 0.8 * word_similarity(${Q}, p.search_tags)
  + 1.0 * coalesce(cat.similarity, 0)
  + CASE WHEN cat.named THEN ${CATEGORY_NAMED_BOOST} ELSE 0 END
  + 4.0 * ts_rank(p.search_vector, ${TSQ})
  + CASE WHEN (' ' || p.search_name_vi || ' ') LIKE ('% ' || ${Q} || ' %')
           OR (' ' || p.search_name_en || ' ') LIKE ('% ' || ${Q} || ' %') THEN 1.0
         WHEN (' ' || p.search_name_vi) LIKE ('% ' || ${Q} || '%')
           OR (' ' || p.search_name_en) LIKE ('% ' || ${Q} || '%') THEN 0.5
         ELSE 0 END
  + CASE WHEN p.search_name_vi LIKE (${Q} || '%') OR p.search_name_en LIKE (${Q} || '%') THEN 0.5 ELSE 0 END
  + 0.1 * CASE WHEN $4 = 'vi' THEN name.vi ELSE name.en END`;

interface HitRow {
  sku: string;
  score: number;
  total: number;
}

interface SuggestionRow {
  sku: string;
  text: string;
}

/** WITH ... matched(sku, score): every product matching the folded query ($1) and the filters. */
function matchedSql(filters: string): string {
  return `
      WITH cat AS (
        SELECT c.id,
               greatest(word_similarity(${Q}, c.search_name), coalesce(word_similarity(${Q}, parent.search_name), 0)) AS similarity,
               (${Q} = ANY (c.search_parts) OR coalesce(${Q} = ANY (parent.search_parts), false)) AS named
          FROM products.category c LEFT JOIN products.category parent ON parent.id = c.parent_id
      ),
      -- One arm per index, so each is an index scan whatever the planner thinks of the others.
      exact AS MATERIALIZED (
        SELECT sku FROM products.product WHERE search_vector @@ ${TSQ}
         ORDER BY ts_rank(search_vector, ${TSQ}) DESC, sku LIMIT ${MAX_EXACT_CANDIDATES}
      ),
      candidate AS (
        SELECT sku FROM exact
        UNION SELECT sku FROM products.product
               WHERE (SELECT count(*) FROM exact) < ${FUZZY_BELOW_EXACT} AND ${Q} <<% search_name_vi
        UNION SELECT sku FROM products.product
               WHERE (SELECT count(*) FROM exact) < ${FUZZY_BELOW_EXACT} AND ${Q} <<% search_name_en
        UNION SELECT sku FROM products.product
               WHERE category_id = ANY (ARRAY(SELECT id FROM cat WHERE similarity >= ${CATEGORY_MATCH_THRESHOLD}))
      ),
      matched AS (
        SELECT p.sku, (${RANK_SQL}) AS score
          FROM products.product p
          LEFT JOIN cat ON cat.id = p.category_id
          CROSS JOIN LATERAL (
            SELECT word_similarity(${Q}, p.search_name_vi) AS vi, word_similarity(${Q}, p.search_name_en) AS en
          ) AS name
         WHERE p.sku = ANY (ARRAY(SELECT sku FROM candidate))${filters}
      )`;
}

export class PostgresSearchEngine implements SearchEngine {
  readonly name = 'postgres';

  constructor(private readonly db: ProductsDb) {}

  async search(request: SearchRequest): Promise<SearchResult> {
    const fingerprint = searchFingerprint(request.query, request.filter);
    const offset = request.after ? decodeSearchCursor(request.after, fingerprint) : 0;
    // $1 query, $2 limit (one extra row tells whether there is a next page), $3 offset, $4 locale.
    const params: unknown[] = [null, request.first + 1, offset, request.locale];
    const filters = filterSql(request.filter, binder(params));
    const sql = `${matchedSql(filters)}
      SELECT sku, score::float8 AS score, (count(*) OVER ())::int AS total
        FROM matched
       ORDER BY score DESC, sku
       LIMIT $2::int OFFSET $3::int`;
    const rows = await this.folded<HitRow>(request.query, sql, params);
    const page = rows.slice(0, request.first);
    // An OFFSET past the end returns no rows, hence no window total: count separately then.
    const totalCount = rows[0]?.total ?? (offset > 0 ? await this.count(request) : 0);
    const hits = page.map((r, i) => ({
      sku: r.sku,
      score: Number(r.score),
      cursor: encodeSearchCursor(offset + i + 1, fingerprint),
    }));
    return { totalCount, hits, nextCursor: rows.length > request.first ? (hits.at(-1)?.cursor ?? null) : null };
  }

  async facets(request: Omit<SearchRequest, 'first' | 'after' | 'sort'>): Promise<Facets> {
    // $1 query, $4 locale, as in search; $2 and $3 (limit, offset there) are bound to null and
    // referenced once, because PostgreSQL refuses a statement with a parameter it cannot type.
    const params: unknown[] = [null, null, null, request.locale];
    const filters = filterSql(request.filter, binder(params));
    const sql = `${matchedSql(filters)}${FACETS_SELECT}\n  WHERE $2::int IS NULL AND $3::int IS NULL`;
    const rows = await this.folded<FacetsRow>(request.query, sql, params);
    return facetsFromRow(rows[0]);
  }

  async suggest(request: SuggestRequest): Promise<Suggestion[]> {
    // The column name comes from this whitelist, never from the request.
    const [own, other] =
      request.locale === 'vi' ? ['search_name_vi', 'search_name_en'] : ['search_name_en', 'search_name_vi'];
    const text = request.locale === 'vi' ? 'name_vi' : 'name_en';
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

  async remove(_skus: readonly string[]): Promise<void> {}

  private async count(request: SearchRequest): Promise<number> {
    const { totalCount } = await this.search({ ...request, after: null, first: 0 });
    return totalCount;
  }

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
