// Reading Prometheus' text format the way a scraper gets it, for tests of /metrics.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text format, the samples only. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

export class Scrape {
  readonly samples: Sample[];
  constructor(readonly text: string) {
    this.samples = parse(text);
  }
  /** The sum of the samples of `name` whose labels include `labels`; undefined when there is none. */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    const found = this.samples.filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );
    return found.length === 0 ? undefined : found.reduce((n, s) => n + s.value, 0);
  }
}

export async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return new Scrape(await res.text());
}

/** How much a counter rose from `before` to `after` (a series absent before counts from 0). */
export const rise = (before: Scrape, after: Scrape, name: string, labels: Record<string, string> = {}) =>
  (after.value(name, labels) ?? 0) - (before.value(name, labels) ?? 0);
