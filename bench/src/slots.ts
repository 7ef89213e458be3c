// `pnpm bench slots`: deliverySlots (a zone's next two local days of slots) under 50 concurrent
// callers, through our gateway and, in the same run, the same query straight to the delivery
// subgraph service (signed as the gateway signs), both in front of the same subgraph services
// (their own process; the gateway in another; the load generator in this one). The honest path
// first: the slot cache off (SLOT_CACHE=off) and the gateway's response cache off, every request
// another zone and orderValue; then the same with the slot cache on, reported beside it.
// Latency p50/p95/p99 per call.
import path from 'node:path';
import { GatewaySigner, GATEWAY_SIGNATURE_HEADER, repoRoot } from '@grocery/platform';
import { createTestDatabase } from '@grocery/platform/testing';
import { serviceEnv, startProcess, type Running } from './processes';

const QUERY = `query ($z: ID!, $v: Int) { deliverySlots(zoneId: $z, days: 2, orderValue: $v) {
  id startsAt endsAt capacity remaining bookable fee { amount currency } } }`;
const ZONES = ['hcm-central', 'hcm-north', 'hcm-south', 'hn-central', 'hn-west', 'hn-east'];
const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const round = (x: number) => Math.round(x * 10) / 10;

type Send = (i: number) => Promise<void>;

/** `n` calls, `concurrency` in flight; each call's ms, sorted. */
async function timed(n: number, concurrency: number, task: Send): Promise<number[]> {
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

function caller(url: string, secret?: string): Send {
  const signer = secret ? new GatewaySigner(secret) : undefined;
  const target = new URL(url);
  return async (i) => {
    const body = JSON.stringify({ query: QUERY, variables: { z: ZONES[i % ZONES.length], v: (i % 1000) * 1_000 } });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'accept-language': 'vi' };
    if (signer)
      headers[GATEWAY_SIGNATURE_HEADER] = signer.sign({
        method: 'POST',
        path: target.pathname,
        body,
        forwarded: { acceptLanguage: 'vi' },
      });
    const res = await fetch(url, { method: 'POST', headers, body });
    const json = (await res.json()) as { data?: { deliverySlots?: unknown[] }; errors?: unknown[] };
    if (json.errors || !json.data?.deliverySlots) throw new Error(JSON.stringify(json).slice(0, 300));
  };
}

export async function runSlotsBench(): Promise<void> {
  const calls = Number(process.env.BENCH_CALLS ?? 5_000);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
  const db = await createTestDatabase();
  const rows: Record<string, unknown>[] = [];
  let gatewayP95 = NaN;
  let directP95 = NaN;
  try {
    for (const slotCache of ['off', 'on'] as const) {
      const base = serviceEnv({
        RESPONSE_CACHE: 'off',
        SLOT_CACHE: slotCache,
        ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      });
      let services: Running | undefined;
      let gateway: Running | undefined;
      try {
        services = await startProcess(
          path.join(__dirname, 'subgraph-services.js'),
          { ...base, DATABASE_URL: db.url },
          /^\{/,
        );
        const { urls, env } = JSON.parse(services.line) as {
          urls: Record<string, string>;
          env: Record<string, string>;
        };
        gateway = await startProcess(
          path.join(repoRoot, 'gateway', 'dist', 'main.js'),
          { ...base, ...env },
          /ready at/,
        );
        const gatewayUrl = /(http:\/\/\S+\/graphql)/.exec(gateway.line)![1]!;
        const targets: [string, Send][] = [
          ['through the gateway', caller(gatewayUrl)],
          [
            'straight to the delivery subgraph',
            caller(urls.delivery!, env.GATEWAY_SIGNING_SECRET ?? base.GATEWAY_SIGNING_SECRET),
          ],
        ];
        for (const [name, send] of targets) {
          await timed(300, 10, send); // warm-up: plans, connections, every zone's days made
          const started = performance.now();
          const times = await timed(calls, concurrency, send);
          const seconds = (performance.now() - started) / 1000;
          rows.push({
            'slot cache': slotCache,
            path: name,
            calls,
            'calls/s': round(calls / seconds),
            'p50 ms': round(quantile(times, 0.5)),
            'p95 ms': round(quantile(times, 0.95)),
            'p99 ms': round(quantile(times, 0.99)),
          });
          if (slotCache === 'off' && name === 'through the gateway') gatewayP95 = quantile(times, 0.95);
          if (slotCache === 'off' && name !== 'through the gateway') directP95 = quantile(times, 0.95);
        }
      } finally {
        await gateway?.stop();
        await services?.stop();
      }
    }
    console.log(
      `\ndeliverySlots(zoneId, days: 2), ${concurrency} concurrent, ${calls} calls per row, 6 zones rotating`,
    );
    console.table(rows);
    console.log(
      `slot cache off: through the gateway p95 ${round(gatewayP95)} ms, ×${(gatewayP95 / directP95).toFixed(1)} straight to the subgraph; target p95 ≤ 10 ms: ${gatewayP95 <= 10 ? 'met' : 'missed'}`,
    );
  } finally {
    await db.drop();
  }
}
