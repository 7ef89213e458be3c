import type { Locale as LocaleCode } from '@grocery/platform';
import { registerEnumType } from 'type-graphql';

// The same enum as the products subgraph's (composition merges argument-only enums).
export enum Locale {
  en = 'en',
  vi = 'vi',
}
registerEnumType(Locale, { name: 'Locale', description: 'Language of customer-facing text.' });

/** The explicit argument wins over the request's Accept-Language. */
export function localeOf(ctx: { request: { locale: LocaleCode } }, arg?: Locale | null): LocaleCode {
  return arg ?? ctx.request.locale;
}
