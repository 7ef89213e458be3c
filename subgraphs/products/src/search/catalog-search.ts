// Search rules that hold whatever the engine: what a valid query, page and filter are, and which
// engine answers a request (one with its own index answers what that index holds, see
// engine-capabilities.ts; the rest goes to the fallback, the PostgreSQL engine).
import { badInput, type Locale } from '@grocery/platform';
import { validateFirst } from '../domain/cursor';
import { validateFilter } from '../domain/product-filter';
import { unanswerable } from './engine-capabilities';
import type { Facets } from '../domain/facets';
import type { SearchFilter } from '../domain/product-filter';
import type { ProductSortKey } from '../domain/product-sort';
import type { FacetsRequest, SearchEngine, SearchRequest, SearchResult, Suggestion } from './search-engine';

export const MAX_QUERY_LENGTH = 200;
export const MAX_PREFIX_LENGTH = 100;
export const MAX_SUGGESTIONS = 20;

/** Trimmed, NFC (so decomposed input from some keyboards folds like composed), validated. */
function searchText(value: string, field: string, max: number): string {
  const text = value.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (text.length === 0) throw badInput(`${field} must not be empty.`, field);
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters.`, field);
  if ((text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < 2)
    throw badInput(`${field} must contain at least 2 letters or digits.`, field);
  return text;
}

/**
 * Whether a query that matched nothing may fall back to products matching some of its words:
 * only with two words or more ("rau muong" → "rau …"); one word has no part to fall back to.
 */
const canMatchPartly = (query: string) => query.includes(' ');

export class CatalogSearch {
  constructor(
    /** The configured engine: suggestions and every request it can answer. */
    readonly engine: SearchEngine,
    private readonly maxPageSize: number,
    /** Answers what `engine` cannot (the PostgreSQL engine, which answers everything). */
    readonly fallback: SearchEngine | null = null,
  ) {}

  /** The engine for a validated request: the configured one if it can answer it. */
  engineFor(request: { filter?: SearchFilter | null; sort?: ProductSortKey | null }): SearchEngine {
    const missing = unanswerable(this.engine, request);
    if (missing.length === 0) return this.engine;
    if (!this.fallback) throw new Error(`The ${this.engine.name} search engine cannot answer ${missing.join(', ')}`);
    return this.fallback;
  }

  search(args: {
    query: string;
    filter?: SearchFilter | null;
    first: number;
    after?: string | null;
    locale: Locale;
    sort?: ProductSortKey | null;
  }): Promise<SearchResult> {
    const request = {
      query: searchText(args.query, 'query', MAX_QUERY_LENGTH),
      filter: validateFilter(args.filter),
      first: validateFirst(args.first, this.maxPageSize),
      after: args.after,
      locale: args.locale,
      sort: args.sort ?? 'RELEVANCE',
    };
    // The choice depends only on the filter and sort, which the cursor is bound to: every page
    // of one search comes from the same engine.
    return this.searchWithFallback(this.engineFor(request), request);
  }

  /**
   * Every word first; when that finds nothing, any word, marked partial. The choice is made per
   * page by the same test (nothing matches every word), so every page of one search agrees, and
   * a search with results costs one query as before.
   */
  private async searchWithFallback(engine: SearchEngine, request: SearchRequest): Promise<SearchResult> {
    const exact = await engine.search(request);
    if (exact.totalCount > 0 || !canMatchPartly(request.query)) return exact;
    const some = await engine.search({ ...request, matchAnyWord: true });
    return some.totalCount > 0 ? { ...some, partial: true } : exact;
  }

  /** Facet counts for the same query and filter as a search (validated the same way). */
  facets(args: { query: string; filter?: SearchFilter | null; locale: Locale }): Promise<Facets> {
    const request = {
      query: searchText(args.query, 'query', MAX_QUERY_LENGTH),
      filter: validateFilter(args.filter),
      locale: args.locale,
    };
    return this.facetsWithFallback(this.engineFor(request), request);
  }

  /** The facets of what the search shows: of the partial matches when nothing matches every word. */
  private async facetsWithFallback(engine: SearchEngine, request: FacetsRequest): Promise<Facets> {
    const exact = await engine.facets(request);
    const matched = exact.priceBuckets.reduce((n, b) => n + b.count, 0);
    if (matched > 0 || !canMatchPartly(request.query)) return exact;
    return engine.facets({ ...request, matchAnyWord: true });
  }

  suggest(args: { prefix: string; first: number; locale: Locale }): Promise<Suggestion[]> {
    if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_SUGGESTIONS)
      throw badInput(`first must be from 1 to ${MAX_SUGGESTIONS}.`, 'first');
    return this.engine.suggest({
      prefix: searchText(args.prefix, 'prefix', MAX_PREFIX_LENGTH),
      locale: args.locale,
      limit: args.first,
    });
  }
}
