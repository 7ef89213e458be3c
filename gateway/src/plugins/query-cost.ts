// Estimated cost of an operation, so a client cannot ask for a million rows in one request.
//
// Why graphql-query-complexity and not graphql-armor's cost limit: armor's `costLimit` prices a
// field by its depth and kind (object/scalar) only — it never reads arguments, so
// `products(first: 100)` and `products(first: 1)` would cost the same. Cost here must grow with
// the page size a list is asked for, which needs the coerced argument values (variables
// included); graphql-query-complexity's estimators get exactly those (`args`), so the rule
// below is a few lines over a well-kept traversal (fragments, @include/@skip, unions).
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { getNamedType, isListType, getNullableType, type DocumentNode, type GraphQLSchema } from 'graphql';

/** The page size assumed for a list field when the client does not say (`first` absent). */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * A field costs 1 plus what it selects; a paginated field (one taking `first`) multiplies that
 * by `first` (20 when absent); any other list field by 20 too — except the `edges`/`nodes` of a
 * Connection, which the parent's `first` already paid for. Introspection is free (it is bounded
 * by the schema and only enabled with GraphiQL).
 */
export const pageAwareEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  if (field.name.startsWith('__') || type.name.startsWith('__') || getNamedType(field.type).name.startsWith('__'))
    return 0;
  const own = 1 + childComplexity;
  if (field.args.some((a) => a.name === 'first')) {
    const first = typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE_SIZE;
    return own * first;
  }
  if (isListType(getNullableType(field.type))) return type.name.endsWith('Connection') ? own : own * DEFAULT_PAGE_SIZE;
  return own;
};

export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName: operationName ?? undefined,
    estimators: [pageAwareEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
}
