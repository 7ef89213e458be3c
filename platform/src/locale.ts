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

export function localized(locale: Locale, en: string, vi: string): string {
  return locale === 'vi' ? vi : en;
}
