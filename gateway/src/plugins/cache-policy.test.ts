import { buildSchema, parse } from 'graphql';
import { CachePolicies, isSharedCacheable } from './cache-policy';

// A supergraph in miniature: the composed @cacheControl, a catalog that declares its hints, and
// a cart and an account that do not (or say PRIVATE).
const SDL = `
schema @link(url: "https://grocery.example/cache-control/v1.0", import: ["@cacheControl"]) { query: Query mutation: Mutation subscription: Subscription }
directive @link(url: String, as: String, import: [String]) repeatable on SCHEMA
enum CacheControlScope { PUBLIC PRIVATE }
directive @cacheControl(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean) on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
type Query {
  product: Product
  products: ProductConnection
  cart: Cart
  me: User
  version: String
  featured: Product @cacheControl(maxAge: 10)
  node: Node
}
type Mutation { touch: Product }
type Subscription { productChanged: Product myCart: Cart priceTicks: Int }
interface Node @cacheControl(maxAge: 20) { id: ID }
type Product implements Node @cacheControl(maxAge: 60) { id: ID sku: String price: Money stock: Stock live: Int @cacheControl(maxAge: 2) }
type ProductConnection @cacheControl(maxAge: 60) { edges: [ProductEdge] total: Int }
type ProductEdge @cacheControl(inheritMaxAge: true) { node: Product }
type Money @cacheControl(inheritMaxAge: true) { amount: Int }
type Stock @cacheControl(maxAge: 5) { available: Int }
type Cart { total: Money }
type User @cacheControl(maxAge: 30, scope: PRIVATE) { id: ID }
`;
const schema = buildSchema(SDL);
const policies = CachePolicies.fromSupergraph(SDL);
const policy = (query: string) => policies.of(schema, parse(query));

describe('cache policy from the subgraphs’ hints', () => {
  it('takes a type’s maxAge for the fields returning it; value types inherit their parent’s', () => {
    expect(policy('{ product { sku price { amount } } }')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
    expect(policy('{ products { total edges { node { sku } } } }')).toEqual({ maxAge: 60, scope: 'PUBLIC' });
  });

  it('is the least maxAge over every field, a field’s own hint first', () => {
    expect(policy('{ product { sku stock { available } } }').maxAge).toBe(5);
    expect(policy('{ product { live } }').maxAge).toBe(2);
    expect(policy('{ featured { sku } }').maxAge).toBe(10);
    expect(policy('{ node { id } }').maxAge).toBe(20);
    expect(policy('{ node { ... on Product { stock { available } } } }').maxAge).toBe(5);
    expect(policy('query Q { ...F } fragment F on Query { product { stock { available } } }').maxAge).toBe(5);
  });

  it('never lets a shared cache keep what nobody declared: a cart, a root scalar', () => {
    expect(isSharedCacheable(policy('{ cart { total { amount } } }'))).toBe(false);
    expect(isSharedCacheable(policy('{ product { sku } cart { total { amount } } }'))).toBe(false);
    expect(isSharedCacheable(policy('{ version }'))).toBe(false);
  });

  it('keeps PRIVATE answers out of a shared cache, and mutations and empty selections too', () => {
    expect(policy('{ me { id } }')).toEqual({ maxAge: 30, scope: 'PRIVATE' });
    expect(isSharedCacheable(policy('{ product { sku } me { id } }'))).toBe(false);
    expect(isSharedCacheable(policy('mutation { touch { sku } }'))).toBe(false);
    expect(isSharedCacheable(policy('{ __typename }'))).toBe(false);
  });

  it('caches nothing for a supergraph without hints', () => {
    const none = CachePolicies.fromSupergraph('type Query { product: String }');
    expect(isSharedCacheable(none.of(buildSchema('type Query { product: String }'), parse('{ product }')))).toBe(false);
  });

  it('tells which subscriptions every caller may share: all they select declared public', () => {
    const selection = (q: string) => policies.ofSelection(schema, parse(q));
    expect(isSharedCacheable(policy('subscription { productChanged { sku } }'))).toBe(false);
    expect(isSharedCacheable(selection('subscription { productChanged { sku price { amount } } }'))).toBe(true);
    expect(isSharedCacheable(selection('subscription { myCart { total { amount } } }'))).toBe(false);
    expect(isSharedCacheable(selection('subscription { priceTicks }'))).toBe(false);
  });
});
