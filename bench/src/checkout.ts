// `pnpm bench checkout`: concurrent placeOrder through the gateway (embedded platform in its own
// process, the seeded catalog — 50,000 SKUs unless BENCH_SKUS says otherwise), each a guest cart
// of 3 lines of SKUs in stock at one store, paid with the simulator (sim_approve: its webhook
// confirms the order in the background, as a provider would). Beside it, in the same run and at
// the same concurrency, the baseline: priceCart alone for 3-line carts (what every checkout does
// first). Caches off (RESPONSE_CACHE=off), every cart different. Latency p50/p95/p99 per call.
import path from 'node:path';
import { Client } from 'pg';
import { repoRoot } from '@grocery/platform';
import { createTestDatabase } from '@grocery/platform/testing';
import { loadSeed } from '@grocery/seed';
import { serviceEnv, startProcess, type Running } from './processes';

const STORE = 'hcm-store-q1';
const PRICE = `query ($lines: [CartLineInput!]!) { priceCart(lines: $lines) { total { amount } } }`;
const ADD = `mutation ($lines: [CartLineInput!]!) { addToCart(lines: $lines) { id } }`;
const SET = `mutation ($c: ID!) { setCartFulfilment(cartId: $c, input: { locationId: "${STORE}" }) { id } }`;
const PLACE = `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { __typename ... on Order { id status } } }`;

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const round = (x: number) => Math.round(x * 10) / 10;

async function gql(url: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const json = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (json.errors) throw new Error(JSON.stringify(json.errors).slice(0, 400));
  return json.data!;
}

/** Runs `task(i)` for i = 0..n-1 with `concurrency` in flight; returns each call's ms. */
async function timed(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const started = performance.now();
        await task(i);
        times.push(performance.now() - started);
      }
    }),
  );
  return times.sort((a, b) => a - b);
}

const summary = (name: string, times: number[], seconds: number) => ({
  operation: name,
  calls: times.length,
  'calls/s': round(times.length / seconds),
  'p50 ms': round(quantile(times, 0.5)),
  'p95 ms': round(quantile(times, 0.95)),
  'p99 ms': round(quantile(times, 0.99)),
});

export async function runCheckoutBench(): Promise<void> {
  const skus = Number(process.env.BENCH_SKUS ?? 50_000);
  const orders = Number(process.env.BENCH_ORDERS ?? 400);
  // Each level runs its own carts: 1 shows a checkout's own latency, 10 what it becomes under load.
  const levels = (process.env.BENCH_CONCURRENCY ?? '1,10').split(',').map(Number);
  const db = await createTestDatabase();
  let gateway: Running | undefined;
  try {
    console.log(`seeding ${skus} SKUs…`);
    await loadSeed({ databaseUrl: db.url, skus, referenceDate: new Date() });
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const { rows } = await pg.query<{ sku: string }>(
      `SELECT s.sku FROM stock.stock_level s JOIN products.product p ON p.sku = s.sku
        WHERE s.location_id = $1 AND s.on_hand - s.reserved >= 20 AND p.archived_at IS NULL ORDER BY random() LIMIT $2`,
      [STORE, orders * 3 * levels.length],
    );
    await pg.end();
    if (rows.length < orders * 3 * levels.length) throw new Error(`only ${rows.length} SKUs in stock at ${STORE}`);
    const linesOf = (i: number) => [0, 1, 2].map((k) => ({ sku: rows[i * 3 + k]!.sku, quantity: 1 + k }));

    gateway = await startProcess(
      path.join(repoRoot, 'gateway', 'dist', 'main.js'),
      serviceEnv({
        DATABASE_URL: db.url,
        RESPONSE_CACHE: 'off',
        MAX_PENDING_ORDERS_PER_CUSTOMER: '1000000',
        // Flags for the gateway process (e.g. --max-old-space-size=…). Node refuses --cpu-prof here:
        // to profile, start gateway/dist/main.js by hand with node --cpu-prof.
        ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
      }),
      /ready at/,
    );
    const base = /(http:\/\/\S+)\/graphql/.exec(gateway.line)?.[1];
    if (!base) throw new Error(`no gateway URL in "${gateway.line}"`);
    const url = `${base}/graphql`;

    const table: ReturnType<typeof summary>[] = [];
    const outcomes = new Map<string, number>();
    let placedP95 = NaN;
    let pricedP95 = NaN;
    for (const [level, concurrency] of levels.entries()) {
      const offset = level * orders;
      console.log(`preparing ${orders} guest carts of 3 lines at ${STORE}…`);
      const carts = new Array<string>(orders);
      await timed(orders, 10, async (i) => {
        const id = (await gql(url, ADD, { lines: linesOf(offset + i) })).addToCart.id as string;
        await gql(url, SET, { c: id });
        carts[i] = id;
      });
      // Warm-up: schema, connections, plans.
      for (let i = 0; i < 20; i++) await gql(url, PRICE, { lines: linesOf(offset + ((i * 7) % orders)) });

      console.log(`priceCart alone (baseline), ${orders} calls, ${concurrency} at a time…`);
      let started = performance.now();
      const priced = await timed(orders, concurrency, async (i) => {
        await gql(url, PRICE, { lines: linesOf(offset + i) });
      });
      table.push(
        summary(`priceCart, ${concurrency} at a time (baseline)`, priced, (performance.now() - started) / 1000),
      );

      console.log(`placeOrder, ${orders} checkouts, ${concurrency} at a time…`);
      started = performance.now();
      const placed = await timed(orders, concurrency, async (i) => {
        const r = await gql(url, PLACE, {
          input: {
            cartId: carts[i],
            idempotencyKey: `bench-${level}-${i}-${Date.now()}`,
            email: 'bench@grocery.vn',
            fulfilment: { type: 'PICKUP', locationId: STORE },
            payment: { provider: 'SIMULATOR', token: 'sim_approve' },
          },
        });
        const kind = r.placeOrder.__typename as string;
        outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
      });
      table.push(summary(`placeOrder, ${concurrency} at a time`, placed, (performance.now() - started) / 1000));
      placedP95 = quantile(placed, 0.95);
      pricedP95 = quantile(priced, 0.95);
    }

    console.log(
      `\n${skus} SKUs, 3-line carts, embedded gateway in its own process (one Node process for every subgraph), caches off`,
    );
    console.table(table);
    console.log(`placeOrder answers: ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    console.log(
      `at ${levels.at(-1)} at a time placeOrder p95 is ×${(placedP95 / pricedP95).toFixed(1)} priceCart's; target p95 ≤ 100 ms: ${placedP95 <= 100 ? 'met' : 'missed'}`,
    );
  } finally {
    if (gateway) await gateway.stop();
    await db.drop();
  }
}
