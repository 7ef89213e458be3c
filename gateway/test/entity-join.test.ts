// One operation, three subgraphs: stock's reservation, its owner from users, its product from
// products (and the product's availability back from stock), joined by the gateway.
import { GRAPHIQL_EXAMPLE } from '../src/graphiql/graphiql-route';
import { startTestPlatform, type TestPlatform } from '../src/testing/platform';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform({ seedSkus: 20 });
});
afterAll(() => p?.stop());

describe('entity references across products, stock and users', () => {
  it('resolves a reservation with its owner (users), product (products) and availability (stock)', async () => {
    const customer = await p.signIn(['customer']);
    const before = await p.gql(
      `{ product(sku: "SKU-000001") { availability { available byLocation { location { id } available } } } }`,
    );
    const where = before.data!.product.availability.byLocation.find((l: { available: number }) => l.available > 0);
    expect(where).toBeDefined();

    const r = await p.gql(
      `mutation ($l: ID!) {
        reserveStock(input: { sku: "SKU-000001", locationId: $l, quantity: 1 }) {
          __typename
          ... on Reservation {
            quantity
            owner { id email name }
            location { id name }
            product { sku name price { amount currency } availability { available } }
          }
        }
      }`,
      { l: where.location.id },
      { token: customer.accessToken, lang: 'vi' },
    );
    expect(r.errors).toBeUndefined();
    const res = r.data!.reserveStock;
    expect(res.__typename).toBe('Reservation');
    expect(res.owner.email).toBe(customer.email); // from users
    expect(res.product.name).toMatch(/\S/); // from products, in Vietnamese
    expect(res.product.price.currency).toBe('VND');
    expect(res.product.availability.available).toBe(before.data!.product.availability.available - 1); // from stock
    expect(res.location.id).toBe(where.location.id);
  });

  it('joins a page of products with their availability in one request', async () => {
    const r = await p.gql(
      `{ products(first: 5) { totalCount edges { node { sku name price { amount currency }
          availability { available inStock byLocation { location { id name } available } } } } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.products.totalCount).toBe(20);
    const nodes = r.data!.products.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toHaveLength(5);
    for (const n of nodes) {
      const sum = n.availability.byLocation.reduce((s: number, l: { available: number }) => s + l.available, 0);
      expect(n.availability.available).toBe(sum);
      expect(n.availability.inStock).toBe(sum > 0);
    }
  });
});

describe('the GraphiQL example', () => {
  it('runs as written against the whole supergraph', async () => {
    const r = await p.gql(GRAPHIQL_EXAMPLE);
    expect(r.errors).toBeUndefined();
    expect(r.data!.search.totalCount).toBeGreaterThan(0);
  });
});
