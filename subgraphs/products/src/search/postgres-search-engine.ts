// Search over the catalog table itself: the migration keeps folded text (lower case, no
// diacritics, y→i) and a weighted tsvector in generated columns, indexed with GIN. A query is
// one statement: candidates by full text OR trigram word similarity OR a matching category,
// ranked by a blend of the two plus phrase and prefix boosts. Every user value is a bound
// parameter; the SQL text varies only with which filters are present.
import type { ProductsDb } from '../data/db';
import { decodeSearchCursor, encodeSearchCursor, searchFingerprint } from './search-cursor';
import type {
  IndexableProduct,
  SearchEngine,
  SearchFilter,
  SearchRequest,
  SearchResult,
  Suggestion,
  SuggestRequest,
} from './search-engine';

/**
 * pg_trgm's `<%` threshold (word_similarity of the query to the best-matching stretch of the
 * product's text). 0.6, the default, loses one-letter typos in short words ("choclate" scores
 * 0.58 against "chocolate"); much lower and short queries drag in noise.
 */
export const WORD_SIMILARITY_THRESHOLD = 0.45;
/** Categories are few and their names short: only a close match pulls in a whole category. */
const CATEGORY_MATCH_THRESHOLD = 0.7;

/** The folded query and its full-text form; with a bound value the planner folds them once. */
const Q = 'products.search_fold($1::text)';
const TSQ = `plainto_tsquery('simple', ${Q})`;

/**
 * A query that is a category's name (or one part of it: "Cà phê & Trà") asks for that
 * category, e.g. "trái cây" for fruit rather than canned "trái cây thập cẩm".
 */
const CATEGORY_NAMED_BOOST = 10.0;

/** The ranking blend; names are the strongest signal, descriptions the weakest. */
const RANK_SQL = `
    3.0 * greatest(word_similarity(${Q}, p.search_name_vi), word_similarity(${Q}, p.search_name_en))
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
  + CASE WHEN $4 = 'vi' THEN 0.1 * word_similarity(${Q}, p.search_name_vi)
         ELSE 0.1 * word_similarity(${Q}, p.search_name_en) END`;

interface HitRow {
  sku: string;
  score: number;
  total: number;
}

interface SuggestionRow {
  sku: string;
  text: string;
}

/** Appends filter predicates, numbering their parameters after the ones already bound. */
function filterSql(filter: SearchFilter | null | undefined, params: unknown[]): string {
  const where: string[] = [];
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (!filter) return '';
  if (filter.categoryId) {
    const c = bind(filter.categoryId);
    where.push(`(p.category_id = ${c} OR p.category_id IN (SELECT id FROM products.category WHERE parent_id = ${c}))`);
  }
  if (filter.dietary && filter.dietary.length > 0)
    where.push(`p.dietary @> ARRAY(SELECT json_array_elements_text(${bind(JSON.stringify(filter.dietary))}::json))`);
  if (filter.isPerishable != null) where.push(`p.is_perishable = ${bind(filter.isPerishable)}::boolean`);
  if (filter.brand) where.push(`products.search_fold(p.brand) = products.search_fold(${bind(filter.brand)}::text)`);
  if (filter.minPrice != null) where.push(`p.price_amount >= ${bind(filter.minPrice)}::bigint`);
  if (filter.maxPrice != null) where.push(`p.price_amount <= ${bind(filter.maxPrice)}::bigint`);
  return where.map((w) => `\n      AND ${w}`).join('');
}

export class PostgresSearchEngine implements SearchEngine {
  readonly name = 'postgres';

  constructor(private readonly db: ProductsDb) {}

  async search(request: SearchRequest): Promise<SearchResult> {
    const fingerprint = searchFingerprint(request.query, request.filter);
    const offset = request.after ? decodeSearchCursor(request.after, fingerprint) : 0;
    // $1 query, $2 limit (one extra row tells whether there is a next page), $3 offset, $4 locale.
    const params: unknown[] = [request.query, request.first + 1, offset, request.locale];
    const filters = filterSql(request.filter, params);
    const sql = `
      WITH cat AS (
        SELECT c.id,
               greatest(word_similarity(${Q}, c.search_name), coalesce(word_similarity(${Q}, parent.search_name), 0)) AS similarity,
               EXISTS (SELECT 1
                         FROM regexp_split_to_table(concat_ws('&', c.name_vi, c.name_en, parent.name_vi, parent.name_en), '&') AS part
                        WHERE products.search_fold(part) = ${Q}) AS named
          FROM products.category c LEFT JOIN products.category parent ON parent.id = c.parent_id
      ),
      matched AS (
        SELECT p.sku, (${RANK_SQL}) AS score
          FROM products.product p
          LEFT JOIN cat ON cat.id = p.category_id
         WHERE (p.search_vector @@ ${TSQ}
                OR ${Q} <% p.search_text
                OR p.category_id = ANY (ARRAY(SELECT id FROM cat WHERE similarity >= ${CATEGORY_MATCH_THRESHOLD})))${filters}
      )
      SELECT sku, score::float8 AS score, (count(*) OVER ())::int AS total
        FROM matched
       ORDER BY score DESC, sku
       LIMIT $2::int OFFSET $3::int`;
    const rows = await this.withThreshold<HitRow>(sql, params);
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

  async suggest(request: SuggestRequest): Promise<Suggestion[]> {
    // The column name comes from this whitelist, never from the request.
    const [own, other] =
      request.locale === 'vi' ? ['search_name_vi', 'search_name_en'] : ['search_name_en', 'search_name_vi'];
    const text = request.locale === 'vi' ? 'name_vi' : 'name_en';
    const sql = `
      SELECT p.sku, p.${text} AS text
        FROM products.product p
       WHERE p.${own} LIKE (${Q} || '%') OR (' ' || p.${own}) LIKE ('% ' || ${Q} || '%')
          OR p.${other} LIKE (${Q} || '%') OR ${Q} <% p.${own}
       ORDER BY CASE WHEN p.${own} LIKE (${Q} || '%') THEN 0
                     WHEN (' ' || p.${own}) LIKE ('% ' || ${Q} || '%') THEN 1
                     WHEN p.${other} LIKE (${Q} || '%') THEN 2
                     ELSE 3 END,
                word_similarity(${Q}, p.${own}) DESC, length(p.${text}), p.sku
       LIMIT $2::int`;
    const rows = await this.withThreshold<SuggestionRow>(sql, [request.prefix, request.limit]);
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
   * Runs one query with our trigram threshold, for its transaction only. Sequential scans are
   * off there too: the planner costs pg_trgm's operators like `=`, so it prefers evaluating
   * word_similarity on every row (≈30 µs each) to the GIN indexes it should use.
   */
  private async withThreshold<T>(sql: string, params: unknown[]): Promise<T[]> {
    const [, rows] = await this.db.$transaction([
      this.db.$queryRawUnsafe(
        `SELECT set_config('pg_trgm.word_similarity_threshold', $1, true), set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`,
        String(WORD_SIMILARITY_THRESHOLD),
      ),
      this.db.$queryRawUnsafe<T[]>(sql, ...params),
    ]);
    return rows;
  }
}
