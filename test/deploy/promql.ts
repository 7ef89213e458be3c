// The PromQL in deploy/ (alert and recording rules, the Grafana dashboard), read with Prometheus'
// own PromQL grammar (@prometheus-io/lezer-promql, the one its web UI parses with).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

// The package is an ES module that also ships CommonJS (exports.require); tests run as CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as typeof import('@prometheus-io/lezer-promql', {
  with: { 'resolution-mode': 'import' },
});

const DEPLOY = path.join(__dirname, '..', '..', 'deploy');

export interface Expression {
  /** Where it comes from: the rule's alert or record name, or the panel's title. */
  where: string;
  expr: string;
}

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string; for?: string }[] }[];
}

export function ruleFile(): RuleFile {
  return parseYaml(readFileSync(path.join(DEPLOY, 'prometheus', 'alerts.yml'), 'utf8')) as RuleFile;
}

export function ruleExpressions(): Expression[] {
  return ruleFile().groups.flatMap((g) => g.rules.map((r) => ({ where: r.alert ?? r.record ?? '?', expr: r.expr })));
}

export function dashboardExpressions(): Expression[] {
  const dashboard = JSON.parse(readFileSync(path.join(DEPLOY, 'grafana', 'dashboard.json'), 'utf8')) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  return dashboard.panels.flatMap((p) => p.targets.map((t) => ({ where: p.title, expr: t.expr })));
}

/** Syntax errors (empty when it parses) and the metric names its selectors read. */
export function readPromQL(expr: string): { errors: string[]; metrics: string[] } {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const metrics = new Set<string>();
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: "${expr.slice(node.from, node.from + 20)}"`);
      if (node.name === 'VectorSelector') {
        const name = node.node.getChild('Identifier');
        if (name) metrics.add(expr.slice(name.from, name.to));
      }
    },
  });
  return { errors, metrics: [...metrics] };
}
