// Request limits through the real gateway: each refused with a stable code before any subgraph
// is asked, and ordinary operations (GraphiQL's introspection included) still allowed.
import { getIntrospectionQuery } from 'graphql';
import { startTestPlatform, type TestPlatform } from '../testing/platform';
import { testTokens } from '../testing/tokens';
import { DEFAULT_MAX_DIRECTIVES, DEFAULT_MAX_TOKENS } from './operation-limits';

describe('request limits', () => {
  let p: TestPlatform;
  /** Subgraph calls made in this process (embedded mode); undefined when subgraphs are remote. */
  let subgraphCalls: jest.SpyInstance | undefined;

  beforeAll(async () => {
    const tokens = await testTokens();
    p = await startTestPlatform({
      subgraphs: ['products'],
      verificationKeys: tokens.verificationKeys,
      env: { MAX_QUERY_DEPTH: '5', MAX_ALIASES: '5', MAX_QUERY_COST: '1000', MAX_PAGE_SIZE: '100' },
    });
    const products = p.platform.modules.products;
    if (products) subgraphCalls = jest.spyOn(products, 'createContext');
  });
  afterAll(() => p?.stop());
  beforeEach(() => subgraphCalls?.mockClear());

  const expectRefused = (
    res: Awaited<ReturnType<TestPlatform['gql']>>,
    code: string,
    limit: string,
    message: RegExp,
  ) => {
    expect(res.status).toBe(400);
    expect(res.data ?? null).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions).toMatchObject({ code, limit });
    expect(res.errors![0]!.message).toMatch(message);
    if (subgraphCalls) expect(subgraphCalls).not.toHaveBeenCalled();
  };

  it('refuses an operation deeper than MAX_QUERY_DEPTH', async () => {
    const res = await p.gql('{ products(first: 1) { edges { node { category { names { en } } } } } }');
    expectRefused(res, 'QUERY_TOO_COMPLEX', 'depth', /depth limit of 5 exceeded, found 6/i);
  });

  it('counts depth through fragments too', async () => {
    const res = await p.gql(
      'query { products(first: 1) { ...Page } } fragment Page on ProductConnection { edges { node { category { names { en } } } } }',
    );
    expectRefused(res, 'QUERY_TOO_COMPLEX', 'depth', /depth limit of 5/i);
  });

  it('refuses more aliases than MAX_ALIASES', async () => {
    const fields = Array.from({ length: 6 }, (_, i) => `a${i}: categories { id }`).join(' ');
    const res = await p.gql(`{ ${fields} }`);
    expectRefused(res, 'QUERY_TOO_COMPLEX', 'aliases', /aliases limit of 5 exceeded, found 6/i);
  });

  const selection = '{ edges { node { sku name unit brand price { amount currency } category { id name } } } }';

  it('refuses an operation whose estimated cost is over MAX_QUERY_COST, pricing pages by "first"', async () => {
    // products (declared weight 40) + 100 edges x (edges 1 + node 1 + 10 fields) = 1240 > 1000
    const costly = await p.gql(`{ products(first: 100) ${selection} }`);
    expectRefused(costly, 'QUERY_TOO_COMPLEX', 'cost', /cost 1240 exceeds the limit of 1000/);
    expect(costly.errors![0]!.extensions).toMatchObject({ cost: 1240, max: 1000 });

    // The same selection, half the page: 640, allowed.
    const cheaper = await p.gql(`{ products(first: 50) ${selection} }`);
    expect(cheaper.status).toBe(200);
    expect(cheaper.errors).toBeUndefined();
    expect(cheaper.data?.products.edges).toEqual([]);
    if (subgraphCalls) expect(subgraphCalls).toHaveBeenCalled(); // the spy does see real calls
  });

  it('prices a list without "first" at the size its subgraph assumes for it', async () => {
    // The 1240 above plus categories { id }, which products declares @listSize(assumedSize: 80): (1 + 1) x 80.
    const res = await p.gql(`{ products(first: 100) ${selection} categories { id } }`);
    expectRefused(res, 'QUERY_TOO_COMPLEX', 'cost', /cost 1400 exceeds/);
  });

  it(`refuses "first" over MAX_PAGE_SIZE at the gateway, before any subgraph is called`, async () => {
    const res = await p.gql('{ products(first: 101) { edges { node { sku } } } }');
    expectRefused(res, 'BAD_USER_INPUT', 'pageSize', /"first" on products is 101; at most 100/);
    expect(res.errors![0]!.extensions).toMatchObject({ field: 'first', max: 100 });
  });

  it('refuses an oversized page passed in a variable', async () => {
    const res = await p.gql('query Page($n: Int!) { products(first: $n) { edges { node { sku } } } }', { n: 5000 });
    expectRefused(res, 'BAD_USER_INPUT', 'pageSize', /is 5000/);
  });

  it('refuses a document with more lexical tokens than allowed', async () => {
    const res = await p.gql(`{ categories { ${'id '.repeat(DEFAULT_MAX_TOKENS)} } }`);
    expectRefused(res, 'QUERY_TOO_COMPLEX', 'tokens', new RegExp(`Token limit of ${DEFAULT_MAX_TOKENS} exceeded`));
  });

  it('refuses more directives than allowed', async () => {
    const res = await p.gql(`{ categories { ${'id @include(if: true) '.repeat(DEFAULT_MAX_DIRECTIVES + 1)} } }`);
    expectRefused(res, 'QUERY_TOO_COMPLEX', 'directives', /Directives limit of 50 exceeded, found 51/);
  });

  it("still serves GraphiQL's introspection query", async () => {
    const res = await p.gql(getIntrospectionQuery());
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data?.__schema.queryType.name).toBe('Query');
  });

  it('keeps syntax errors as parse errors with positions', async () => {
    const res = await p.gql('{ categories { id }');
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });
});
