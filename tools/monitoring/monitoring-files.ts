import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../infra/paths';
import { metricNamesIn } from './promql-metric-names';

export const MONITORING_DIR = resolve(repoRoot, 'infra', 'monitoring');
export const ALERT_RULES_FILE = resolve(MONITORING_DIR, 'prometheus', 'alerts.yml');
export const ALERT_TESTS_FILE = resolve(MONITORING_DIR, 'prometheus', 'alerts.test.yml');
export const PROMETHEUS_CONFIG_FILE = resolve(MONITORING_DIR, 'prometheus', 'prometheus.yml');
export const DASHBOARDS_DIR = resolve(MONITORING_DIR, 'grafana', 'dashboards');
export const ALERTMANAGER_DIR = resolve(MONITORING_DIR, 'alertmanager');
export const ALERTMANAGER_CONFIG_FILE = resolve(ALERTMANAGER_DIR, 'alertmanager.yml');
export const ALERTMANAGER_RENDER_SCRIPT = resolve(ALERTMANAGER_DIR, 'render-config.sh');

/** One PromQL expression of the monitoring files and where it is. */
export interface NamedExpression {
  /** `alerts.yml: ServiceDown`, `backbone-pipeline.json: Outbox backlog`. */
  where: string;
  expr: string;
}

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}

export function alertRuleExpressions(file = ALERT_RULES_FILE): NamedExpression[] {
  const rules = parse(readFileSync(file, 'utf8')) as RuleFile;
  return rules.groups.flatMap((group) =>
    group.rules.map((rule) => ({ where: `alerts.yml: ${rule.alert ?? rule.record}`, expr: rule.expr })),
  );
}

interface DashboardPanel {
  title?: string;
  targets?: { expr?: string }[];
  panels?: DashboardPanel[];
}

interface Dashboard {
  uid: string;
  title: string;
  panels: DashboardPanel[];
  templating?: { list: { name: string; query?: string | { query?: string } }[] };
}

export function dashboardFiles(dir = DASHBOARDS_DIR): { file: string; dashboard: Dashboard }[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as Dashboard }));
}

/** Every query of every panel (rows' panels included) and of every query variable. */
export function dashboardExpressions(dir = DASHBOARDS_DIR): NamedExpression[] {
  const found: NamedExpression[] = [];
  for (const { file, dashboard } of dashboardFiles(dir)) {
    const visit = (panels: DashboardPanel[]) => {
      for (const panel of panels) {
        for (const target of panel.targets ?? [])
          if (target.expr)
            found.push({ where: `${file}: ${panel.title ?? '(untitled)'}`, expr: target.expr });
        visit(panel.panels ?? []);
      }
    };
    visit(dashboard.panels);
    for (const variable of dashboard.templating?.list ?? []) {
      const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
      if (query) found.push({ where: `${file}: variable ${variable.name}`, expr: query });
    }
  }
  return found;
}

/** metric name → where it is named, over the alert rules and the dashboards. */
export function metricsNamedByMonitoring(): Map<string, string[]> {
  const named = new Map<string, string[]>();
  for (const { where, expr } of [...alertRuleExpressions(), ...dashboardExpressions()])
    for (const name of metricNamesIn(expr)) named.set(name, [...(named.get(name) ?? []), where]);
  return named;
}
