// `pnpm bench context`: why the request scope is kept only while tracing is on. The same
// promise-heavy work (50 concurrent chains of 2,000 awaits, 20 rounds) timed with no
// AsyncLocalStorage in use — the baseline — then inside one (as every request would be), then
// outside it once one has been used (Node 20 keeps its promise hooks on from then on).
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

async function chain(n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await Promise.resolve(i);
  return sum;
}

async function time(rounds = 20): Promise<number> {
  const started = performance.now();
  for (let r = 0; r < rounds; r++) await Promise.all(Array.from({ length: 50 }, () => chain(2_000)));
  return performance.now() - started;
}

export async function runContextBench(): Promise<void> {
  await time(5); // warm-up
  const baseline = await time();
  const storage = new AsyncLocalStorage<{ operation: string }>();
  const inside = await storage.run({ operation: 'query Bench' }, () => time());
  const after = await time();
  console.log(`Node ${process.version}: 2,000,000 awaited promises`);
  console.table([
    { case: 'no AsyncLocalStorage (baseline)', ms: Math.round(baseline), ratio: 1 },
    { case: 'inside storage.run()', ms: Math.round(inside), ratio: +(inside / baseline).toFixed(2) },
    { case: 'outside, after one was used', ms: Math.round(after), ratio: +(after / baseline).toFixed(2) },
  ]);
}
