// What a valid catalog filter is, for browsing and search alike: every bound checked, labels
// from the known set, so an engine only ever sees a filter it can apply as given.
import { badInput } from '@grocery/platform';
import type { SearchFilter } from '../search/search-engine';
import { MAX_PRICE } from './product';

export const DIETARY_LABELS = ['vegan', 'vegetarian', 'gluten_free', 'halal', 'organic', 'lactose_free'] as const;
export type DietaryLabel = (typeof DIETARY_LABELS)[number];

/** What a shopper reads for each label. */
export const DIETARY_NAMES: Record<DietaryLabel, { en: string; vi: string }> = {
  vegan: { en: 'Vegan', vi: 'Thuần chay' },
  vegetarian: { en: 'Vegetarian', vi: 'Chay' },
  gluten_free: { en: 'Gluten-free', vi: 'Không chứa gluten' },
  halal: { en: 'Halal', vi: 'Halal' },
  organic: { en: 'Organic', vi: 'Hữu cơ' },
  lactose_free: { en: 'Lactose-free', vi: 'Không chứa lactose' },
};

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
