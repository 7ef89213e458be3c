// Search rules that hold whatever the engine: what a valid query, page and filter are.
import { badInput, type Locale } from '@grocery/platform';
import { validateFirst } from '../domain/cursor';
import { MAX_PRICE } from '../domain/product';
import type { SearchEngine, SearchFilter, SearchResult, Suggestion } from './search-engine';

export const MAX_QUERY_LENGTH = 200;
export const MAX_PREFIX_LENGTH = 100;
export const MAX_SUGGESTIONS = 20;
const MAX_DIETARY_LABELS = 10;

/** Trimmed, NFC (so decomposed input from some keyboards folds like composed), validated. */
function searchText(value: string, field: string, max: number): string {
  const text = value.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (text.length === 0) throw badInput(`${field} must not be empty.`, field);
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters.`, field);
  if ((text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) < 2)
    throw badInput(`${field} must contain at least 2 letters or digits.`, field);
  return text;
}

function validPrice(value: number | null | undefined, field: string): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PRICE)
    throw badInput(`${field} must be an integer from 0 to ${MAX_PRICE}.`, field);
  return value;
}

function validFilter(filter: SearchFilter | null | undefined): SearchFilter | null {
  if (!filter) return null;
  const minPrice = validPrice(filter.minPrice, 'filter.minPrice');
  const maxPrice = validPrice(filter.maxPrice, 'filter.maxPrice');
  if (minPrice != null && maxPrice != null && minPrice > maxPrice)
    throw badInput('filter.minPrice must not exceed filter.maxPrice.', 'filter.minPrice');
  if (filter.dietary && filter.dietary.length > MAX_DIETARY_LABELS)
    throw badInput(`filter.dietary takes at most ${MAX_DIETARY_LABELS} labels.`, 'filter.dietary');
  return { ...filter, minPrice, maxPrice };
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
  }): Promise<SearchResult> {
    return this.engine.search({
      query: searchText(args.query, 'query', MAX_QUERY_LENGTH),
      filter: validFilter(args.filter),
      first: validateFirst(args.first, this.maxPageSize),
      after: args.after,
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
