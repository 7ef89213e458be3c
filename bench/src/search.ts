// `pnpm bench search`: a fixed mix of catalog searches (Vietnamese without diacritics, typos,
// filters, sorts, facets) under 50 concurrent connections for BENCH_SECONDS (20) on a seeded catalog of
// BENCH_SKUS (50,000): through our gateway (its own process, embedded subgraphs) and, in the
// same run, straight to the PostgreSQL engine in this process with the same concurrency, so the
// table shows what the engine costs and what GraphQL, HTTP and hydration add on top.
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '@grocery/platform';
import { createTestDatabase } from '@grocery/platform/testing';
import { createProductsDb } from '@grocery/products/dist/data/db';
import { PostgresSearchEngine, type ProductSortKey, type SearchFilter } from '@grocery/products/dist/search';
import { loadSeed } from '@grocery/seed';
import autocannon from 'autocannon';
import { serviceEnv, startProcess } from './processes';

const CONNECTIONS = 50;
const PAGE_SIZE = 20;
const TARGET_P95_MS = 25;

interface BenchSearch {
  query: string;
  lang: 'vi' | 'en';
  filter?: SearchFilter;
  sort?: ProductSortKey;
  /** Also asks for the facet counts (a second statement at the engine). */
  facets?: boolean;
}

/** What shoppers type: mostly unaccented Vietnamese, some typos and English, some filtered. */
const MIX: readonly BenchSearch[] = [
  { query: 'sua tuoi', lang: 'vi' },
  { query: 'ca phe', lang: 'vi' },
  { query: 'nuoc mam', lang: 'vi' },
  { query: 'banh mi', lang: 'vi' },
  { query: 'thit bo', lang: 'vi' },
  { query: 'mi hao hao', lang: 'vi' },
  { query: 'tuong ot cholimex', lang: 'vi' },
  { query: 'sua dac ong tho', lang: 'vi' },
  { query: 'nuoc mam nam ngu 35 do dam 750ml', lang: 'vi' },
  { query: 'trai cay', lang: 'vi' },
  { query: 'choclate', lang: 'en' },
  { query: 'heiniken', lang: 'en' },
  { query: 'shampo', lang: 'en' },
  { query: 'sửa tươi', lang: 'vi' },
  { query: 'capuccino', lang: 'en' },
  { query: 'fresh milk', lang: 'en' },
  { query: 'sua', lang: 'vi', filter: { categoryId: 'cat-dairy' } },
  { query: 'sua tuoi', lang: 'vi', filter: { brand: 'vinamilk' } },
  { query: 'sua', lang: 'vi', filter: { isPerishable: true, minPrice: 20000, maxPrice: 60000 } },
  { query: 'sua', lang: 'vi', filter: { dietary: ['organic'] } },
  { query: 'sua chua', lang: 'vi', sort: 'PRICE_ASC' },
  { query: 'ca phe', lang: 'vi', sort: 'POPULARITY' },
  { query: 'sua tuoi', lang: 'vi', facets: true },
  { query: 'banh', lang: 'vi', filter: { isPerishable: false }, facets: true },
];

const SEARCH = `query Search($q: String!, $f: ProductFilter, $first: Int, $sort: ProductSort) {
  search(query: $q, filter: $f, first: $first, sort: $sort) {
    totalCount
    edges { cursor node { sku name brand price { amount currency } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const SEARCH_WITH_FACETS = `query SearchWithFacets($q: String!, $f: ProductFilter, $first: Int, $sort: ProductSort) {
  search(query: $q, filter: $f, first: $first, sort: $sort) {
    totalCount
    edges { cursor node { sku name brand price { amount currency } } }
    pageInfo { hasNextPage endCursor }
    facets {
      categories { category { id name } count }
      dietary { label count }
      brands { brand count }
      priceBuckets { min max count }
    }
  }
}`;

interface Figures {
  path: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function figures(pathName: string, latencies: number[], seconds: number, errors: number): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    path: pathName,
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    errors,
  };
}

function body(s: BenchSearch): string {
  return JSON.stringify({
    query: s.facets ? SEARCH_WITH_FACETS : SEARCH,
    variables: { q: s.query, f: s.filter ?? null, first: PAGE_SIZE, sort: s.sort ?? 'RELEVANCE' },
  });
}

/** Starts the gateway (embedded subgraphs) on the seeded database, runs the mix, stops it. */
async function gatewayRun(databaseUrl: string, responseCache: 'on' | 'off', seconds: number): Promise<Figures> {
  const gateway = await startProcess(
    path.join(repoRoot, 'gateway', 'dist', 'main.js'),
    serviceEnv({ DATABASE_URL: databaseUrl, RESPONSE_CACHE: responseCache }),
    /ready at/,
  );
  try {
    const url = /(http:\/\/\S+\/graphql)/.exec(gateway.line)?.[1] ?? gateway.line.trim();
    const f = await throughGateway(url, seconds);
    return { ...f, path: `${f.path}, response cache ${responseCache}` };
  } finally {
    await gateway.stop();
  }
}

/** Every search once, answers checked: a bench of error responses would measure nothing. */
async function checkThroughGateway(url: string): Promise<void> {
  for (const s of MIX) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': s.lang },
      body: body(s),
    });
    const json = (await res.json()) as { data?: { search: { totalCount: number } }; errors?: unknown[] };
    if (!res.ok || json.errors || !json.data || json.data.search.totalCount === 0)
      throw new Error(`"${s.query}" through the gateway: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  }
}

async function throughGateway(url: string, seconds: number): Promise<Figures> {
  await checkThroughGateway(url);
  // autocannon reports p90/p97.5/p99 but no p95: collect every response time instead.
  const latencies: number[] = [];
  let i = 0;
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        method: 'POST',
        requests: [
          {
            setupRequest: (req) => {
              const s = MIX[i++ % MIX.length];
              return {
                ...req,
                headers: { 'content-type': 'application/json', 'accept-language': s.lang },
                body: body(s),
              };
            },
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode === 200) latencies.push(responseTime);
  });
  const result = await done;
  return figures('through the gateway (HTTP, GraphQL, hydration)', latencies, seconds, result.errors + result.non2xx);
}

/** What the resolver asks of the engine for one search: the page, and the facets when selected. */
async function searchOnce(engine: PostgresSearchEngine, s: BenchSearch): Promise<void> {
  const request = { query: s.query, filter: s.filter ?? null, locale: s.lang };
  await Promise.all([
    engine.search({ ...request, first: PAGE_SIZE, sort: s.sort ?? 'RELEVANCE' }),
    s.facets ? engine.facets(request) : null,
  ]);
}

function extras(s: BenchSearch): { sort: string; facets: string } {
  return { sort: s.sort ?? '', facets: s.facets ? 'yes' : '' };
}

/** The same mix straight to the engine: CONNECTIONS workers, each one search at a time. */
async function straightToEngine(engine: PostgresSearchEngine, seconds: number): Promise<Figures> {
  const run = (s: BenchSearch) => searchOnce(engine, s);
  for (const s of MIX) await run(s); // warm the pool and the plans, as the gateway check does
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  let i = 0;
  const until = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const s = MIX[i++ % MIX.length];
      const start = performance.now();
      try {
        await run(s);
        latencies.push(performance.now() - start);
      } catch (err) {
        errors++;
        firstError ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  if (firstError) console.error(`first engine error of ${errors}:`, firstError);
  return figures('straight to PostgresSearchEngine (in process)', latencies, seconds, errors);
}

/** Each search of the mix on an idle engine: the cost of the query itself, without queueing. */
async function eachAlone(engine: PostgresSearchEngine) {
  const rows = [];
  for (const s of MIX) {
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      const start = performance.now();
      await searchOnce(engine, s);
      times.push(performance.now() - start);
    }
    const ms = Math.round(times.sort((a, b) => a - b)[2] * 10) / 10;
    rows.push({ query: s.query, filter: s.filter ? JSON.stringify(s.filter) : '', ...extras(s), 'ms alone': ms });
  }
  return rows;
}

export async function runSearchBench(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 20);
  const skuCount = Number(process.env.BENCH_SKUS ?? 50_000);
  const loadBefore = loadavg()[0].toFixed(2);
  const db = await createTestDatabase();
  try {
    console.log(`seeding ${skuCount} SKUs…`);
    await loadSeed({ databaseUrl: db.url, skus: skuCount });

    // Twice: with the response cache off every request runs the engine; with it on (the
    // default) the fixed mix repeats, so after each entry's first miss (and again every
    // RESPONSE_CACHE_TTL_SECONDS) the gateway answers from memory, as it would for popular searches.
    const viaGatewayUncached = await gatewayRun(db.url, 'off', seconds);
    const viaGateway = await gatewayRun(db.url, 'on', seconds);

    // The gateway's products subgraph uses a pool of 10; so does this client.
    const prisma = createProductsDb(db.url);
    let direct: Figures;
    let alone: Awaited<ReturnType<typeof eachAlone>>;
    try {
      const engine = new PostgresSearchEngine(prisma);
      direct = await straightToEngine(engine, seconds);
      alone = await eachAlone(engine);
    } finally {
      await prisma.$disconnect();
    }

    console.log(
      `\ncatalog search, ${MIX.length}-query mix (unaccented Vietnamese, typos, filters, sorts, facets), first: ${PAGE_SIZE}, ` +
        `${CONNECTIONS} concurrent, ${seconds}s each, ${skuCount} SKUs`,
    );
    console.table(
      [viaGatewayUncached, viaGateway, direct].map((r) => ({
        path: r.path,
        requests: r.requests,
        rps: Math.round(r.rps),
        'p50 ms': r.p50,
        'p95 ms': r.p95,
        'p99 ms': r.p99,
        errors: r.errors,
      })),
    );
    console.log(
      `ratio gateway (cache off)/engine: p95 ×${(viaGatewayUncached.p95 / direct.p95).toFixed(2)}, RPS ×${(viaGatewayUncached.rps / direct.rps).toFixed(2)}; ` +
        `gateway (cache on)/engine: p95 ×${(viaGateway.p95 / direct.p95).toFixed(2)}, RPS ×${(viaGateway.rps / direct.rps).toFixed(2)}; ` +
        `load average before ${loadBefore}, after ${loadavg()[0].toFixed(2)} (other processes on this machine count)`,
    );
    console.log('each search alone, straight to the engine (median of 5), to see where the time goes:');
    console.table(alone);
    const verdict = (f: Figures) => `${f.p95} ms (${f.p95 <= TARGET_P95_MS ? 'met' : 'NOT met'})`;
    console.log(
      `target: p95 ≤ ${TARGET_P95_MS} ms through the gateway — response cache on: ${verdict(viaGateway)}; ` +
        `cache off (every search runs the engine): ${verdict(viaGatewayUncached)}`,
    );
  } finally {
    await db.drop();
  }
}
