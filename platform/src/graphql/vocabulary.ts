// The GraphQL vocabulary every subgraph shares, defined once: texts in English and
// Vietnamese, page info for cursor pagination, and the convention for expected refusals.
// Value types (no key) that several subgraphs return are @shareable, so each may resolve them.
import { CacheControl } from './cache-control';
import { Directive, Field, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import type { Locale } from '../locale';

/** The `locale` argument of customer-facing text fields (`name(locale: vi)`). */
export enum LocaleArg {
  en = 'en',
  vi = 'vi',
}
registerEnumType(LocaleArg, { name: 'Locale', description: 'Language of customer-facing text.' });

/** The language a text field answers in: its `locale` argument, else the request's Accept-Language. */
export function localeOf(ctx: { request: { locale: Locale } }, arg?: LocaleArg | null): Locale {
  return arg ?? ctx.request.locale;
}

@ObjectType({ description: 'A customer-facing text in English and Vietnamese.' })
@Directive('@shareable')
@CacheControl({ inheritMaxAge: true })
export class LocalizedText {
  @Field()
  en!: string;

  @Field()
  vi!: string;
}

@ObjectType({ description: 'Where a page of a cursor-paginated list ended.' })
@Directive('@shareable')
@CacheControl({ inheritMaxAge: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null on an empty page.' })
  endCursor?: string | null;
}

/**
 * Expected refusals a client must handle (out of stock, a limit reached, a price that changed)
 * are typed results, not errors: a mutation answers a union of its success type and refusal
 * types, each implementing `ErrorResult { errorCode: ErrorCode!, message: String! }` (Vendure's
 * ErrorResult). Bugs, bad input and access violations stay errors with extensions.code.
 *
 * Each subgraph calls this once with its own codes: every subgraph's schema then has an
 * `ErrorCode` enum of its codes and the same `ErrorResult` interface, and composition merges the
 * enums into one (an output-only enum is the union of its subgraphs' values). A client switches
 * on `errorCode` whatever the subgraph, and on `__typename` for the refusal's own fields.
 *
 *     export const StockErrorCode = { OUT_OF_STOCK: 'OUT_OF_STOCK' } as const;
 *     export const StockErrorResult = defineErrorResult(StockErrorCode);
 *     @ObjectType({ implements: StockErrorResult }) class OutOfStock { @Field(() => StockErrorCode) errorCode! … }
 */
export function defineErrorResult<C extends Record<string, string>>(codes: C) {
  for (const [name, value] of Object.entries(codes))
    if (name !== value) throw new Error(`error code ${name} must have itself as value (got ${value})`);
  registerEnumType(codes, {
    name: 'ErrorCode',
    description: 'What an expected refusal (an ErrorResult) is about; stable across releases.',
  });

  @InterfaceType('ErrorResult', {
    description: 'An expected refusal: nothing was changed; `message` says what to do, in the request language.',
  })
  abstract class ErrorResult {
    @Field(() => codes)
    errorCode!: C[keyof C];

    @Field()
    message!: string;
  }
  return ErrorResult;
}
