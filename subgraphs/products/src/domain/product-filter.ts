// What a valid catalog filter is, for browsing and search alike: every bound checked, labels
// from the known set, so an engine only ever sees a filter it can apply as given.
import { badInput } from '@grocery/platform';
import { DIETARY_LABELS } from './dietary';
import { MAX_PRICE } from './product';

/** A catalog filter: browsing and every search engine apply it alike. */
export interface SearchFilter {
  /** A category or a parent category (its sub-categories included). */
  categoryId?: string | null;
  /** Every label must be present (vegan, halal, ...). */
  dietary?: readonly string[] | null;
  isPerishable?: boolean | null;
  /** Case- and diacritic-insensitive brand name. */
  brand?: string | null;
  /** Inclusive bounds on the price amount (VND). */
  minPrice?: number | null;
  maxPrice?: number | null;
  /** Perishables whose expiry falls between now and now + this many days. */
  expiringWithinDays?: number | null;
  /** Every tag must be present (exact, as stored: lower case). */
  tags?: readonly string[] | null;
  /** ratingAverage at least this (1-5); products without reviews are excluded. */
  minRating?: number | null;
  /** Only products with available units at this location (per the stock events). */
  inStockAt?: string | null;
}

const MAX_LABELS = 10;
const MAX_TAG_LENGTH = 50;
const MAX_EXPIRY_DAYS = 365;
const MAX_ID_LENGTH = 100;

function validPrice(value: number | null | undefined, field: string): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PRICE)
    throw badInput(`${field} must be an integer from 0 to ${MAX_PRICE}.`, field);
  return value;
}

function validId(value: string | null | undefined, field: string): string | null {
  if (value == null) return null;
  const v = value.trim();
  if (v.length === 0 || v.length > MAX_ID_LENGTH)
    throw badInput(`${field} must be 1 to ${MAX_ID_LENGTH} characters.`, field);
  return v;
}

function validList(values: readonly string[] | null | undefined, field: string): string[] | null {
  if (values == null) return null;
  if (values.length > MAX_LABELS) throw badInput(`${field} takes at most ${MAX_LABELS} values.`, field);
  return [...new Set(values.map((v) => v.trim()))];
}

/** Validated, normalised copy of a filter (null for none); BAD_USER_INPUT naming the field. */
export function validateFilter(filter: SearchFilter | null | undefined): SearchFilter | null {
  if (!filter) return null;
  const minPrice = validPrice(filter.minPrice, 'filter.minPrice');
  const maxPrice = validPrice(filter.maxPrice, 'filter.maxPrice');
  if (minPrice != null && maxPrice != null && minPrice > maxPrice)
    throw badInput('filter.minPrice must not exceed filter.maxPrice.', 'filter.minPrice');

  const dietary = validList(filter.dietary, 'filter.dietary');
  const unknown = dietary?.find((d) => !(DIETARY_LABELS as readonly string[]).includes(d));
  if (unknown !== undefined)
    throw badInput(`filter.dietary: "${unknown}" is not one of ${DIETARY_LABELS.join(', ')}.`, 'filter.dietary');

  const tags = validList(filter.tags, 'filter.tags')?.map((t) => t.toLowerCase()) ?? null;
  if (tags?.some((t) => t.length === 0 || t.length > MAX_TAG_LENGTH))
    throw badInput(`filter.tags: each tag has 1 to ${MAX_TAG_LENGTH} characters.`, 'filter.tags');

  const days = filter.expiringWithinDays;
  if (days != null && (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRY_DAYS))
    throw badInput(
      `filter.expiringWithinDays must be an integer from 1 to ${MAX_EXPIRY_DAYS}.`,
      'filter.expiringWithinDays',
    );

  const minRating = filter.minRating;
  if (minRating != null && (!Number.isFinite(minRating) || minRating < 1 || minRating > 5))
    throw badInput('filter.minRating must be from 1 to 5.', 'filter.minRating');

  return {
    categoryId: validId(filter.categoryId, 'filter.categoryId'),
    dietary,
    tags,
    isPerishable: filter.isPerishable ?? null,
    brand: filter.brand?.trim() || null,
    minPrice,
    maxPrice,
    expiringWithinDays: days ?? null,
    minRating: minRating ?? null,
    inStockAt: validId(filter.inStockAt, 'filter.inStockAt'),
  };
}
