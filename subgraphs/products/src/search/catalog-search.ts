// Search rules that hold whatever the engine: what a valid query, page and filter are.
import { badInput, type Locale } from '@grocery/platform';
import { validateFirst } from '../domain/cursor';
import { validateFilter } from '../domain/product-filter';
import type { Facets, ProductSortKey, SearchEngine, SearchFilter, SearchResult, Suggestion } from './search-engine';

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

export class CatalogSearch {
  constructor(
    readonly engine: SearchEngine,
    private readonly maxPageSize: number,
  ) {}

  search(args: {
    query: string;
    filter?: SearchFilter | null;
    first: number;
    after?: string | null;
    locale: Locale;
    sort?: ProductSortKey | null;
  }): Promise<SearchResult> {
    return this.engine.search({
      query: searchText(args.query, 'query', MAX_QUERY_LENGTH),
      filter: validateFilter(args.filter),
      first: validateFirst(args.first, this.maxPageSize),
      after: args.after,
      locale: args.locale,
      sort: args.sort ?? 'RELEVANCE',
    });
  }

  /** Facet counts for the same query and filter as a search (validated the same way). */
  facets(args: { query: string; filter?: SearchFilter | null; locale: Locale }): Promise<Facets> {
    return this.engine.facets({
      query: searchText(args.query, 'query', MAX_QUERY_LENGTH),
      filter: validateFilter(args.filter),
      locale: args.locale,
    });
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
