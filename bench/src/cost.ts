// `pnpm bench cost`: what each kind of operation costs the platform, to calibrate the @cost and
// @listSize weights the subgraphs declare. One client, one operation at a time, through the real
// gateway (embedded subgraphs, response cache off) on a seeded catalog of BENCH_SKUS (500, the
// embedded default); every run asks something new (other SKUs, other typos, other emails), so no
// cache answers. For each kind: the median time, the work above an empty operation's (`{ __typename }`),
// that work relative to a product read by SKU, and the cost the gateway estimates for it — the
// estimate should be proportional to the work.
import '@grocery/gateway/dist/telemetry-off';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { composeFromCode } from '@grocery/gateway/dist/compose';
import { CostModel } from '@grocery/gateway/dist/plugins/query-cost';
import { SubscriptionPlanner } from '@grocery/gateway/dist/subscriptions/subscription-planner';
import { startTestPlatform, type TestPlatform } from '@grocery/gateway/dist/testing/platform';
import { LOCATIONS } from '@grocery/seed';
import { parse } from 'graphql';

const SKUS = Number(process.env.BENCH_SKUS ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 25);
const WARM_UP = 3;

interface Call {
  query: string;
  variables?: Record<string, unknown>;
  token?: string;
}

interface Scenario {
  name: string;
  /** The i-th call: something no earlier call asked. */
  call(i: number): Call;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Drops one letter from the middle of a long word of a product name: a typo nothing has cached. */
function typos(names: string[]): string[] {
  const out = new Set<string>();
  for (const name of names) {
    const words = name
      .toLowerCase()
      .split(/[^\p{L}]+/u)
      .filter((w) => w.length >= 6);
    for (const word of words) {
      const at = Math.floor(word.length / 2);
      out.add(word.slice(0, at) + word.slice(at + 1));
    }
  }
  return [...out];
}

export async function runCostBench(): Promise<void> {
  const p: TestPlatform = await startTestPlatform({
    mode: 'embedded',
    seedSkus: SKUS,
    seedPromotions: true,
    env: {
      RESPONSE_CACHE: 'off',
      MAX_QUERY_COST: '100000000',
      MAX_ALIASES: '1000',
      RATE_LIMIT_PER_MINUTE: '100000000',
      RATE_LIMIT_COST_PER_MINUTE: '1000000000',
      LOGIN_MAX_ATTEMPTS_PER_CLIENT: '100000',
      SIGN_UP_MAX_PER_CLIENT: '100000',
      MAX_ACTIVE_RESERVATIONS_PER_CUSTOMER: '100000',
      MAX_RESERVED_UNITS_PER_CUSTOMER: '100000',
    },
  });
  try {
    const staff = (await p.signIn(['staff'])).accessToken;
    const customer = (await p.signIn(['customer'])).accessToken;
    const password = 'rau muong xao toi';
    const account = { email: `bench-${randomBytes(6).toString('hex')}@bench.grocery.vn` };
    const signedUp = await p.gql<{ signUp: { refreshToken: string } }>(
      `mutation ($e: String!, $p: String!) { signUp(input: { email: $e, password: $p, name: "Bench" }) { refreshToken } }`,
      { e: account.email, p: password },
    );
    let refreshToken = signedUp.data!.signUp.refreshToken;
    const page = await p.gql<{ products: { edges: { node: { sku: string; name: string } }[] } }>(
      '{ products(first: 100) { edges { node { sku name } } } }',
      {},
      { lang: 'en' },
    );
    const products = page.data!.products.edges.map((e) => e.node);
    const skus = products.map((n) => n.sku);
    const words = typos(products.map((n) => n.name));
    const sku = (i: number) => skus[i % skus.length]!;
    // SKUs nothing has read yet (the page above went through the entity cache), for cold reads.
    const unread = (i: number) => `SKU-${String(skus.length + 1 + (i % (SKUS - skus.length))).padStart(6, '0')}`;
    const typo = (i: number) => words[i % words.length]!;
    const twoWordTypo = (i: number) => `${typo(i)} ${typo(i + 7)}`;
    const lines = (n: number, i: number) =>
      Array.from({ length: n }, (_, k) => ({ sku: sku(i * 7 + k), quantity: 1 + (k % 3) }));
    const store = LOCATIONS[0]!.id;
    const categories = (await p.gql<{ categories: { id: string }[] }>('{ categories { id } }')).data!.categories.map(
      (c) => c.id,
    );
    const SEARCH = `query ($q: String!, $first: Int!) { search(query: $q, first: $first) {
      totalCount edges { node { sku name price { amount currency } } } } }`;
    const SEARCH_FACETS = `query ($q: String!, $first: Int!) { search(query: $q, first: $first) {
      totalCount edges { node { sku name price { amount currency } } }
      facets { categories { category { id name } count } dietary { label count } brands { brand count } priceBuckets { min max count } } } }`;
    const FACETS = `query ($q: String!) { search(query: $q, first: 0) {
      facets { categories { category { id name } count } dietary { label count } brands { brand count } priceBuckets { min max count } } } }`;
    const BROWSE = `query ($min: Int!) { products(first: 20, filter: { minPrice: $min }) {
      totalCount edges { node { sku name price { amount currency } } } } }`;
    const BROWSE_FACETS = `query ($min: Int!) { products(first: 20, filter: { minPrice: $min }) {
      totalCount edges { node { sku name price { amount currency } } }
      facets { categories { category { id name } count } dietary { label count } brands { brand count } priceBuckets { min max count } } } }`;

    const scenarios: Scenario[] = [
      { name: 'empty operation { __typename }', call: () => ({ query: '{ __typename }' }) },
      {
        name: 'product by SKU (9 fields), entity cache cold',
        call: (i) => ({
          query: 'query ($s: String!) { product(sku: $s) { sku name price { amount currency } category { id name } } }',
          variables: { s: unread(i) },
        }),
      },
      {
        name: 'product by SKU (9 fields), entity cache warm',
        call: (i) => ({
          query: 'query ($s: String!) { product(sku: $s) { sku name price { amount currency } category { id name } } }',
          variables: { s: sku(i + 50) },
        }),
      },
      {
        name: 'product with stock by location (other subgraph)',
        call: (i) => ({
          query: `query ($s: String!) { product(sku: $s) { sku name availability { available byLocation { available location { id name } } } } }`,
          variables: { s: unread(i + 100) },
        }),
      },
      {
        name: 'search, one-word typo, first: 5',
        call: (i) => ({ query: SEARCH, variables: { q: typo(i), first: 5 } }),
      },
      {
        name: 'search, one-word typo, first: 20',
        call: (i) => ({ query: SEARCH, variables: { q: typo(i + 200), first: 20 } }),
      },
      {
        name: 'search, two-word typo, first: 5',
        call: (i) => ({ query: SEARCH, variables: { q: twoWordTypo(i + 300), first: 5 } }),
      },
      {
        name: 'search facets alone, one-word typo',
        call: (i) => ({ query: FACETS, variables: { q: typo(i + 400) } }),
      },
      {
        name: 'search + facets, one-word typo, first: 5',
        call: (i) => ({ query: SEARCH_FACETS, variables: { q: typo(i + 500), first: 5 } }),
      },
      {
        name: 'search + facets, two-word typo, first: 5',
        call: (i) => ({ query: SEARCH_FACETS, variables: { q: twoWordTypo(i + 600), first: 5 } }),
      },
      {
        name: 'search suggestions',
        call: (i) => ({
          query: 'query ($p: String!) { searchSuggestions(prefix: $p, first: 8) { text sku } }',
          variables: { p: typo(i + 700).slice(0, 4) },
        }),
      },
      { name: 'browse, first: 20', call: (i) => ({ query: BROWSE, variables: { min: 1000 + i } }) },
      { name: 'browse + facets, first: 20', call: (i) => ({ query: BROWSE_FACETS, variables: { min: 2000 + i } }) },
      {
        name: 'popular products in a category, first: 10',
        call: (i) => ({
          query: 'query ($c: ID!) { popularProducts(first: 10, categoryId: $c) { sku name } }',
          // Rankings are cached per category: every run asks another (there are fewer with few SKUs).
          variables: { c: categories[i % categories.length] },
        }),
      },
      {
        name: 'browse, first: 100',
        call: (i) => ({
          query: 'query ($min: Int!) { products(first: 100, filter: { minPrice: $min }) { edges { node { sku } } } }',
          variables: { min: 3000 + i },
        }),
      },
      {
        name: 'browse, first: 100, availability (other subgraph)',
        call: (i) => ({
          query:
            'query ($min: Int!) { products(first: 100, filter: { minPrice: $min }) { edges { node { sku availability { available } } } } }',
          variables: { min: 4000 + i },
        }),
      },
      {
        name: 'bundles, first: 10, components',
        call: (i) => ({
          query: `query ($n: Int!) { bundles(first: $n) { edges { node { id name components { quantity product { sku name } } } } } }`,
          variables: { n: 10 - (i % 3) },
        }),
      },
      {
        name: 'priceCart, 10 lines, 1 coupon',
        call: (i) => ({
          query: `query ($l: [CartLineInput!]!, $c: [String!]) { priceCart(lines: $l, couponCodes: $c) { total { amount } discount { amount } } }`,
          variables: { l: lines(10, i), c: ['WELCOME30'] },
        }),
      },
      {
        name: 'priceCart, 100 lines, 1 coupon',
        call: (i) => ({
          query: `query ($l: [CartLineInput!]!, $c: [String!]) { priceCart(lines: $l, couponCodes: $c) { total { amount } discount { amount } } }`,
          variables: { l: lines(100, i), c: ['WELCOME30'] },
        }),
      },
      {
        name: 'priceCart, 100 lines of 100 units, 1 coupon',
        call: (i) => ({
          query: `query ($l: [CartLineInput!]!, $c: [String!]) { priceCart(lines: $l, couponCodes: $c) { total { amount } discount { amount } } }`,
          variables: { l: lines(100, i).map((l) => ({ ...l, quantity: 100 })), c: ['WELCOME30'] },
        }),
      },
      {
        name: 'signUp',
        call: () => ({
          query: `mutation ($e: String!) { signUp(input: { email: $e, password: "rau muong xao toi", name: "Bench" }) { accessToken } }`,
          variables: { e: `bench-${randomBytes(6).toString('hex')}@bench.grocery.vn` },
        }),
      },
      {
        name: 'logIn',
        call: () => ({
          query: `mutation ($e: String!, $p: String!) { logIn(input: { email: $e, password: $p }) { accessToken } }`,
          variables: { e: account.email, p: password },
        }),
      },
      {
        name: 'refreshSession',
        call: () => ({
          query: `mutation ($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`,
          variables: { t: refreshToken },
        }),
      },
      {
        name: 'updateProduct (staff)',
        call: (i) => ({
          query: `mutation ($s: String!, $a: Int!) { updateProduct(sku: $s, input: { price: { amount: $a } }) { sku } }`,
          variables: { s: sku(i + 30), a: 10_000 + i * 100 },
          token: staff,
        }),
      },
      {
        name: 'adjustStock (staff)',
        call: (i) => ({
          query: `mutation ($s: String!, $l: ID!) { adjustStock(input: { sku: $s, locationId: $l, delta: 5, reason: "delivery" }) { available } }`,
          variables: { s: sku(i + 60), l: store },
          token: staff,
        }),
      },
      {
        name: 'reserveStock (customer)',
        call: (i) => ({
          query: `mutation ($s: String!, $l: ID!) { reserveStock(input: { sku: $s, locationId: $l, quantity: 1 }) { __typename } }`,
          variables: { s: sku(i + 90), l: store },
          token: customer,
        }),
      },
    ];

    // The estimate the gateway makes, from the supergraph it runs with.
    const { supergraphSdl } = await composeFromCode();
    const apiSchema = new SubscriptionPlanner(supergraphSdl).apiGraphQLSchema;
    const model = CostModel.fromSupergraph(supergraphSdl);

    const rows: { name: string; ms: number; work: number; cost: number }[] = [];
    for (const s of scenarios) {
      const times: number[] = [];
      for (let i = 0; i < WARM_UP + RUNS; i++) {
        const c = s.call(i + 1000 * rows.length);
        const t0 = performance.now();
        const r = await p.gql(c.query, c.variables, { token: c.token, lang: 'en' });
        const ms = performance.now() - t0;
        if (r.errors || r.status !== 200)
          throw new Error(`${s.name}: ${r.status} ${JSON.stringify(r.errors).slice(0, 300)}`);
        const rotated = (r.data as { refreshSession?: { refreshToken: string } } | undefined)?.refreshSession;
        if (rotated) refreshToken = rotated.refreshToken;
        if (i >= WARM_UP) times.push(ms);
      }
      const last = s.call(0);
      const cost = model.estimate(apiSchema, parse(last.query), last.variables, undefined);
      rows.push({ name: s.name, ms: median(times), work: 0, cost });
    }
    const base = rows[0]!.ms;
    for (const r of rows) r.work = Math.max(0, r.ms - base);
    const read = rows[1]!.work;
    console.log(`\nbench cost: ${SKUS} SKUs, median of ${RUNS} runs each, one at a time (response cache off)\n`);
    console.log(
      `${'operation'.padEnd(48)} ${'median ms'.padStart(9)} ${'work ms'.padStart(8)} ${'x read'.padStart(7)} ${'est. cost'.padStart(9)} ${'cost/ms'.padStart(8)}`,
    );
    for (const r of rows)
      console.log(
        `${r.name.padEnd(48)} ${r.ms.toFixed(1).padStart(9)} ${r.work.toFixed(1).padStart(8)} ${(r.work / read).toFixed(1).padStart(7)} ${String(r.cost).padStart(9)} ${(r.work > 0 ? r.cost / r.work : 0).toFixed(0).padStart(8)}`,
      );
    console.log('\nwork = median minus the empty operation’s; x read = work / a product read’s work');
  } finally {
    await p.stop();
  }
}
