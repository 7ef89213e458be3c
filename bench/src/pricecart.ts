// `pnpm bench pricecart`: hostile carts through the gateway (embedded platform in its own
// process, 1,000 seeded SKUs with the seeded promotions): 500 lines of 100 units, the largest
// cart the request body limit lets through, and the largest cart the cart limits accept. For
// each: what the gateway answers, the time per call (sequential calls for BENCH_SECONDS), and the
// latency of GET /healthz polled every BENCH_POLL_MS meanwhile — the same figures with the
// gateway idle are the baseline. A call that gets no answer within BENCH_CALL_TIMEOUT_SECONDS is
// reported as such. Where the old per-unit pricing spent seconds of CPU on one call, /healthz waited behind it.
import path from 'node:path';
import { repoRoot } from '@grocery/platform';
import { createTestDatabase } from '@grocery/platform/testing';
import { loadSeed } from '@grocery/seed';
import { serviceEnv, startProcess, type Running } from './processes';

const QUERY = `query PriceCart($lines: [CartLineInput!]!) { priceCart(lines: $lines) {
  lines { sku quantity total { amount } appliedPromotions { promotionId amount { amount } } }
  subtotal { amount } discount { amount } total { amount currency } } }`;

const MAX_BODY_BYTES = 256 * 1024;
const SKUS = 1_000;
const sku = (i: number) => `SKU-${String((i % SKUS) + 1).padStart(6, '0')}`;
const cart = (lines: number, quantity: number) => Array.from({ length: lines }, (_, i) => ({ sku: sku(i), quantity }));
const bodyOf = (lines: number, quantity: number) =>
  JSON.stringify({ query: QUERY, variables: { lines: cart(lines, quantity) } });

/** The most lines of `quantity` units whose request body stays within the gateway's body limit. */
function largestUnderBodyLimit(quantity: number): number {
  let lines = 1;
  while (Buffer.byteLength(bodyOf(lines * 2, quantity)) <= MAX_BODY_BYTES) lines *= 2;
  let step = lines;
  while (step >= 1) {
    if (Buffer.byteLength(bodyOf(lines + step, quantity)) <= MAX_BODY_BYTES) lines += step;
    step = Math.floor(step / 2);
  }
  return lines;
}

interface Scenario {
  name: string;
  lines: number;
  quantity: number;
}

interface Row {
  scenario: string;
  lines: number;
  quantity: number;
  bodyKiB: number;
  calls: number;
  answer: string;
  msPerCall: number | null;
  healthz: { samples: number; p50: number; p99: number; max: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const round = (x: number) => Math.round(x * 10) / 10;

/** Polls /healthz every `everyMs` until stopped; each sample is one request's latency (a request still waiting when stopped counts too). */
function pollHealth(baseUrl: string, everyMs: number) {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(600_000) });
      } catch {
        // counted by its latency all the same
      }
      samples.push(performance.now() - started);
      await sleep(everyMs);
    }
  })();
  return async () => {
    running = false;
    await loop;
    const sorted = [...samples].sort((a, b) => a - b);
    return {
      samples: sorted.length,
      p50: round(quantile(sorted, 0.5)),
      p99: round(quantile(sorted, 0.99)),
      max: round(sorted.at(-1) ?? NaN),
    };
  };
}

async function call(url: string, body: string, timeoutMs: number): Promise<{ ms: number; answer: string }> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const json = (await res.json()) as { data?: unknown; errors?: { extensions?: Record<string, unknown> }[] };
    const ms = performance.now() - started;
    const e = json.errors?.[0]?.extensions;
    const answer = e
      ? `${String(e.code)}${e.limit ? ` (${String(e.limit)} ≤ ${String(e.max)})` : ''}`
      : `priced (HTTP ${res.status})`;
    return { ms, answer };
  } catch (err) {
    const ms = performance.now() - started;
    return {
      ms,
      answer: (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : String(err),
    };
  }
}

async function measure(
  baseUrl: string,
  scenario: Scenario | null,
  seconds: number,
  pollMs: number,
  timeoutMs: number,
): Promise<Row> {
  const stopPolling = pollHealth(baseUrl, pollMs);
  const started = performance.now();
  const times: number[] = [];
  const answers = new Set<string>();
  let body = '';
  if (scenario) {
    body = bodyOf(scenario.lines, scenario.quantity);
    do {
      const r = await call(`${baseUrl}/graphql`, body, timeoutMs);
      times.push(r.ms);
      answers.add(r.answer);
      if (r.answer.startsWith('no answer')) break;
    } while (performance.now() - started < seconds * 1000);
  } else {
    await sleep(seconds * 1000);
  }
  const healthz = await stopPolling();
  const sorted = [...times].sort((a, b) => a - b);
  return {
    scenario: scenario?.name ?? 'idle (baseline)',
    lines: scenario?.lines ?? 0,
    quantity: scenario?.quantity ?? 0,
    bodyKiB: round(Buffer.byteLength(body) / 1024),
    calls: times.length,
    answer: [...answers].join(', ') || '—',
    msPerCall: sorted.length ? round(quantile(sorted, 0.5)) : null,
    healthz,
  };
}

/** SIGTERM, then SIGKILL: a gateway stuck in a long pricing loop never runs its SIGTERM handler. */
async function stopHard(proc: Running): Promise<void> {
  await Promise.race([proc.stop(), sleep(10_000)]);
  if (proc.child.exitCode === null && proc.child.signalCode === null) {
    proc.child.kill('SIGKILL');
    await new Promise((r) => proc.child.once('exit', r));
  }
}

export async function runPriceCartBench(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const pollMs = Number(process.env.BENCH_POLL_MS ?? 5);
  const timeoutMs = Number(process.env.BENCH_CALL_TIMEOUT_SECONDS ?? 120) * 1000;
  const biggestLines = largestUnderBodyLimit(100);
  const scenarios: Scenario[] = [
    { name: '500 lines × 100', lines: 500, quantity: 100 },
    { name: 'largest body (256 KiB) × 100', lines: biggestLines, quantity: 100 },
    // The largest cart the default cart limits accept (200 lines, 999 units each).
    { name: 'largest accepted cart', lines: 200, quantity: 999 },
  ];
  const db = await createTestDatabase();
  let gateway: Running | undefined;
  try {
    console.log(`seeding ${SKUS} SKUs with the seeded promotions…`);
    await loadSeed({ databaseUrl: db.url, skus: SKUS, referenceDate: new Date() });
    const rows: Row[] = [];
    // A fresh gateway per scenario: one still busy with the last call must not slow the next.
    for (const s of [null, ...scenarios]) {
      gateway = await startProcess(
        path.join(repoRoot, 'gateway', 'dist', 'main.js'),
        serviceEnv({ DATABASE_URL: db.url, RESPONSE_CACHE: 'off' }),
        /ready at/,
      );
      const url = /(http:\/\/\S+)\/graphql/.exec(gateway.line)?.[1];
      if (!url) throw new Error(`no gateway URL in "${gateway.line}"`);
      // Warm up: a small priced cart (schema, promotions, connections).
      const warm = await call(`${url}/graphql`, bodyOf(5, 2), timeoutMs);
      if (!warm.answer.startsWith('priced')) throw new Error(`warm-up answered ${warm.answer}`);
      console.log(s ? `${s.name}: ${s.lines} lines × ${s.quantity}…` : 'idle…');
      rows.push(await measure(url, s, s ? seconds : Math.min(seconds, 3), pollMs, timeoutMs));
      await stopHard(gateway);
      gateway = undefined;
    }
    console.log(
      `\npriceCart through the gateway (embedded, own process); /healthz polled every ${pollMs} ms meanwhile`,
    );
    console.table(
      rows.map((r) => ({
        scenario: r.scenario,
        lines: r.lines,
        'units/line': r.quantity,
        'body KiB': r.bodyKiB,
        calls: r.calls,
        answer: r.answer,
        'ms/call (p50)': r.msPerCall,
        'healthz p50 ms': r.healthz.p50,
        'healthz p99 ms': r.healthz.p99,
        'healthz max ms': r.healthz.max,
        'healthz samples': r.healthz.samples,
      })),
    );
    const idle = rows[0]!.healthz;
    for (const r of rows.slice(1))
      console.log(
        `${r.scenario}: /healthz p99 ×${(r.healthz.p99 / idle.p99).toFixed(1)}, max ×${(r.healthz.max / idle.max).toFixed(1)} of idle`,
      );
  } finally {
    if (gateway) await stopHard(gateway);
    await db.drop();
  }
}
