// deploy/prometheus/alerts.yml and deploy/grafana/dashboard.json: every expression parses as
// PromQL, every alert says how severe it is, and every recording rule a query reads is defined.
// That the metric names exist is checked against a real scrape in gateway/test/metrics.test.ts.
import { dashboardExpressions, readPromQL, ruleExpressions, ruleFile } from './promql';

describe('Prometheus rules and the Grafana dashboard', () => {
  const expressions = [...ruleExpressions(), ...dashboardExpressions()];

  it('parse as PromQL', () => {
    expect(expressions.length).toBeGreaterThan(10);
    const failures = expressions.flatMap((e) => readPromQL(e.expr).errors.map((err) => `${e.where}: ${err}`));
    expect(failures).toEqual([]);
  });

  it('give each alert a severity and a summary, and cover the plan’s targets', () => {
    const rules = ruleFile().groups.flatMap((g) => g.rules);
    const alerts = rules.filter((r) => r.alert);
    for (const r of alerts) expect(r).toMatchObject({ labels: { severity: expect.stringMatching(/^(page|ticket)$/) } });
    for (const r of alerts) expect(r).toMatchObject({ annotations: { summary: expect.any(String) } });
    expect(alerts.map((r) => r.alert)).toEqual(
      expect.arrayContaining([
        'AvailabilityBudgetFastBurn',
        'SearchLatencyP95Above500ms',
        'CheckoutLatencyP95Above1s',
        'StockUpdateLatencyP95Above100ms',
      ]),
    );
  });

  it('read only recording rules that are defined', () => {
    const recorded = new Set(ruleExpressions().map((e) => e.where));
    const used = expressions.flatMap((e) => readPromQL(e.expr).metrics).filter((m) => m.includes(':'));
    expect(used.filter((m) => !recorded.has(m))).toEqual([]);
  });
});
