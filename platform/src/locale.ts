export type Locale = 'en' | 'vi';

/** Picks en or vi from an Accept-Language header or an explicit argument; English by default. */
export function parseLocale(value: string | undefined | null): Locale {
  if (!value) return 'en';
  for (const part of value.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('vi')) return 'vi';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

/** The request language's half of a pair: `inLocale(locale, { en: 'Milk', vi: 'Sữa' })`. */
export function inLocale<T>(locale: Locale, text: { en: T; vi: T }): T {
  return locale === 'vi' ? text.vi : text.en;
}

/**
 * A record's `<field>En` or `<field>Vi` in the request language, the way rows keep texts:
 * `fieldIn(product, 'name', locale)` is product.nameVi for 'vi', product.nameEn otherwise.
 */
export function fieldIn<F extends string, V>(record: Record<`${F}En` | `${F}Vi`, V>, field: F, locale: Locale): V {
  return locale === 'vi' ? record[`${field}Vi`] : record[`${field}En`];
}
