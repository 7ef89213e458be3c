// The process's one Prometheus registry (prom-client) and get-or-create helpers: the modules,
// replicas and test platforms of one process share a series by name instead of registering it
// twice. Nothing is pushed anywhere: Prometheus scrapes GET /metrics (metrics-route.ts).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();

export interface MetricSpec<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

/** Seconds; holds the SLO thresholds (0.1 s stock update, 0.5 s search, 1 s checkout) as bucket bounds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function registered<T>(name: string, kind: abstract new (...args: never[]) => T): T | undefined {
  const metric = metricsRegistry.getSingleMetric(name);
  if (metric === undefined) return undefined;
  if (!(metric instanceof kind)) throw new Error(`metric ${name} is already registered with another type`);
  return metric;
}

export function counter<L extends string = string>(spec: MetricSpec<L>): Counter<L> {
  return (
    (registered(spec.name, Counter) as Counter<L> | undefined) ??
    new Counter<L>({ ...spec, labelNames: spec.labelNames ?? [], registers: [metricsRegistry] })
  );
}

export function histogram<L extends string = string>(spec: MetricSpec<L> & { buckets?: number[] }): Histogram<L> {
  return (
    (registered(spec.name, Histogram) as Histogram<L> | undefined) ??
    new Histogram<L>({
      ...spec,
      labelNames: spec.labelNames ?? [],
      buckets: spec.buckets ?? LATENCY_BUCKETS,
      registers: [metricsRegistry],
    })
  );
}

export type LabelSet<L extends string> = Partial<Record<L, string>>;

export interface Sample<L extends string> {
  labels: LabelSet<L>;
  value: number;
}

/**
 * Reports current values when Prometheus scrapes; may query. One that fails, or takes longer
 * than SAMPLE_TIMEOUT_MS (a database that hangs), reports nothing this time: the rest of the
 * scrape still answers.
 */
export type Sampler<L extends string> = () => Promise<readonly Sample<L>[]> | readonly Sample<L>[];

export interface SampledGauge<L extends string> {
  /** Adds a source while it runs; call the returned function when it stops. */
  add(sampler: Sampler<L>): () => void;
}

const sampledGauges = new Map<string, SampledGauge<string>>();
const SAMPLE_TIMEOUT_MS = 2_000;

function sampleWithin<L extends string>(sampler: Sampler<L>): Promise<readonly Sample<L>[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Sample<L>[]>((resolve) => {
    timer = setTimeout(() => resolve([]), SAMPLE_TIMEOUT_MS);
    timer.unref();
  });
  const sampled = Promise.resolve()
    .then(sampler)
    .catch(() => [] as Sample<L>[]);
  return Promise.race([sampled, late]).finally(() => clearTimeout(timer));
}

/**
 * A gauge read at scrape time from its sources (a relay, a transport, a dead-letter store).
 * Sources reporting the same labels are added up ("sum": one gateway's connections plus
 * another's) or the largest is kept ("max": two replicas in one process counting the same rows).
 */
export function sampledGauge<L extends string>(spec: MetricSpec<L> & { combine: 'sum' | 'max' }): SampledGauge<L> {
  const known = sampledGauges.get(spec.name);
  if (known) return known as SampledGauge<L>;
  const samplers = new Set<Sampler<L>>();
  const gauge: Gauge<L> = new Gauge<L>({
    name: spec.name,
    help: spec.help,
    labelNames: spec.labelNames ?? [],
    registers: [metricsRegistry],
    collect: async () => {
      const reports = await Promise.all([...samplers].map(sampleWithin));
      const merged = new Map<string, Sample<L>>();
      for (const s of reports.flat()) {
        const key = JSON.stringify(Object.entries(s.labels).sort());
        const before = merged.get(key);
        const value = !before
          ? s.value
          : spec.combine === 'sum'
            ? before.value + s.value
            : Math.max(before.value, s.value);
        merged.set(key, { labels: s.labels, value });
      }
      gauge.reset();
      for (const s of merged.values()) gauge.set(s.labels, s.value);
    },
  });
  const sampled: SampledGauge<L> = {
    add(sampler) {
      samplers.add(sampler);
      return () => void samplers.delete(sampler);
    },
  };
  sampledGauges.set(spec.name, sampled as SampledGauge<string>);
  return sampled;
}

let processMetrics = false;

/** Node's own series (CPU, memory, event-loop lag, GC, handles), once per process. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry });
}
