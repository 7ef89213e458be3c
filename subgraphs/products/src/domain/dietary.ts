// Dietary labels a product may carry, in their canonical order, and what a shopper reads for each.

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
