// The registry helpers on their own: bounded labels, and gauges sampled at scrape time from
// several sources, one of which fails and one of which hangs.
import { BoundedLabel } from './bounded-label';
import { counter, metricsRegistry, sampledGauge } from './registry';

describe('BoundedLabel', () => {
  it('keeps the first names, cut to 64 characters, and calls the rest "other"', () => {
    const names = new BoundedLabel(2);
    expect(names.of('ProductPage')).toBe('ProductPage');
    expect(names.of('A'.repeat(100))).toBe('A'.repeat(64));
    expect(names.of('Checkout')).toBe('other');
    expect(names.of('ProductPage')).toBe('ProductPage');
    expect(names.of('not a name{}')).toBe('other');
  });
});

describe('metrics registry', () => {
  it('gives the same counter for the same name instead of registering it twice', () => {
    const a = counter({ name: 'test_things_total', help: 'things', labelNames: ['kind'] });
    const b = counter({ name: 'test_things_total', help: 'things', labelNames: ['kind'] });
    expect(b).toBe(a);
  });

  it('adds up or keeps the largest of what its sources report, and a failing or hanging source leaves the rest', async () => {
    const summed = sampledGauge({ name: 'test_connections', help: 'c', combine: 'sum' });
    const largest = sampledGauge({ name: 'test_backlog', help: 'b', labelNames: ['domain'], combine: 'max' });
    const stops = [
      summed.add(() => [{ labels: {}, value: 2 }]),
      summed.add(() => [{ labels: {}, value: 3 }]),
      summed.add(() => Promise.reject(new Error('database down'))),
      largest.add(() => [{ labels: { domain: 'orders' }, value: 4 }]),
      largest.add(() => [{ labels: { domain: 'orders' }, value: 7 }]),
      largest.add(() => new Promise(() => undefined)),
    ];
    const text = await metricsRegistry.metrics();
    expect(text).toContain('test_connections 5');
    expect(text).toContain('test_backlog{domain="orders"} 7');

    for (const stop of stops.slice(1)) stop();
    const after = await metricsRegistry.metrics();
    expect(after).toContain('test_connections 2');
    expect(after).not.toContain('test_backlog{');
  });
});
