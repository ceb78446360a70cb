import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../infra/paths';
import { discoverServices } from '../stack/services';
import { ALERTMANAGER_DIR, dashboardFiles, MONITORING_DIR, PROMETHEUS_CONFIG_FILE } from './monitoring-files';

/**
 * docker compose cannot run here, so its monitoring part is checked by structure: Prometheus scrapes
 * every service under services/ on the port compose gives it, with the metrics token the services
 * require in production; its rules and Grafana's provisioning are mounted from infra/monitoring; the
 * services send traces to Jaeger.
 */
interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, unknown>;
  volumes?: string[];
  secrets?: string[];
  depends_on?: string[] | Record<string, unknown>;
  healthcheck?: { test: unknown };
}

const compose = parse(readFileSync(resolve(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { environment?: string; file?: string }>;
};

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  authorization?: { type?: string; credentials_file?: string };
  static_configs?: { targets: string[]; labels?: Record<string, string> }[];
}

const prometheus = parse(readFileSync(PROMETHEUS_CONFIG_FILE, 'utf8')) as {
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
  alerting?: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
};

/** `./host/path:/container/path[:ro]` → { host (absolute), container }. */
function mounts(service: ComposeService): { host: string; container: string }[] {
  return (service.volumes ?? [])
    .filter((volume) => volume.startsWith('./'))
    .map((volume) => {
      const [host, container] = volume.split(':');
      return { host: resolve(repoRoot, host!), container: container! };
    });
}

function mountedAt(service: ComposeService, hostPath: string): string | undefined {
  return mounts(service).find((mount) => mount.host === hostPath)?.container;
}

const services = discoverServices();

describe('monitoring in docker-compose.yml', () => {
  it('runs Prometheus, Alertmanager, Grafana and Jaeger from their official images', () => {
    expect(compose.services.prometheus?.image).toMatch(/^prom\/prometheus:v\d/);
    expect(compose.services.alertmanager?.image).toMatch(/^prom\/alertmanager:v\d/);
    expect(compose.services.grafana?.image).toMatch(/^grafana\/grafana:\d/);
    expect(compose.services.jaeger?.image).toMatch(/^jaegertracing\/jaeger:2\./);
  });

  it('knows the services (discovered as npm start does)', () => {
    expect(services.map((service) => service.name)).toEqual(expect.arrayContaining(['dossier', 'reporting']));
  });

  it.each(services.map((service) => [service.name]))(
    'Prometheus scrapes %s on the port compose gives it, labelled with its name',
    (name) => {
      const port = String(compose.services[name]?.environment?.PORT ?? '');
      expect(port).toMatch(/^\d+$/);
      const job = prometheus.scrape_configs.find((config) => config.job_name === 'backbone');
      const target = job?.static_configs?.find((group) => group.targets.includes(`${name}:${port}`));
      expect({ name, target: target?.targets, labels: target?.labels }).toEqual({
        name,
        target: [`${name}:${port}`],
        labels: { service: name },
      });
    },
  );

  it('scrapes no target that is not a service', () => {
    const job = prometheus.scrape_configs.find((config) => config.job_name === 'backbone');
    const scraped = (job?.static_configs ?? []).flatMap((group) => group.targets.map((t) => t.split(':')[0]));
    expect(scraped.sort()).toEqual(services.map((service) => service.name).sort());
  });

  it('sends the metrics token every service requires in production, from a compose secret', () => {
    const job = prometheus.scrape_configs.find((config) => config.job_name === 'backbone')!;
    expect(job.metrics_path ?? '/metrics').toBe('/metrics');
    expect(job.authorization?.type).toBe('Bearer');
    const secret = /^\/run\/secrets\/([a-z_]+)$/.exec(job.authorization?.credentials_file ?? '')?.[1];
    expect(secret).toBeDefined();
    expect(compose.services.prometheus?.secrets).toContain(secret);
    expect(compose.secrets?.[secret!]?.environment).toBe('METRICS_TOKEN');
    for (const { name } of services) {
      expect({ name, token: compose.services[name]?.environment?.METRICS_TOKEN }).toEqual({
        name,
        token: expect.stringContaining('${METRICS_TOKEN'),
      });
    }
  });

  it('mounts the Prometheus configuration and the alert rules where the configuration says', () => {
    const service = compose.services.prometheus!;
    expect(mountedAt(service, PROMETHEUS_CONFIG_FILE)).toBe('/etc/prometheus/prometheus.yml');
    const rules = resolve(MONITORING_DIR, 'prometheus', 'alerts.yml');
    expect(existsSync(rules)).toBe(true);
    expect(prometheus.rule_files).toEqual([mountedAt(service, rules)]);
  });

  it("has Prometheus send its alerts to compose's Alertmanager", () => {
    const targets = (prometheus.alerting?.alertmanagers ?? []).flatMap((manager) =>
      manager.static_configs.flatMap((group) => group.targets),
    );
    expect(targets).toEqual(['alertmanager:9093']);
    expect(compose.services.prometheus?.depends_on).toContain('alertmanager');
  });

  it('starts Alertmanager on the configuration render-config.sh writes from the ALERT_* variables', () => {
    const service = compose.services.alertmanager!;
    const mounted = mountedAt(service, ALERTMANAGER_DIR)?.replace(/:ro$/, '');
    expect(mounted).toBe('/etc/alertmanager');
    const command = (service.command ?? []).join(' ');
    expect(command).toContain(
      'sh /etc/alertmanager/render-config.sh /etc/alertmanager/alertmanager.yml /run/alertmanager/alertmanager.yml',
    );
    expect(command).toContain('exec /bin/alertmanager --config.file=/run/alertmanager/alertmanager.yml');
    expect(service.healthcheck).toBeDefined();
    // Every variable the script reads is passed through (empty by default), and documented.
    const script = readFileSync(resolve(ALERTMANAGER_DIR, 'render-config.sh'), 'utf8');
    const read = new Set([...script.matchAll(/\b(ALERT_[A-Z_]+)\b/g)].map((match) => match[1]!));
    read.delete('ALERT_EMAIL'); // the script's own flag
    expect(Object.keys(service.environment ?? {}).sort()).toEqual([...read].sort());
    const example = readFileSync(resolve(repoRoot, '.env.example'), 'utf8');
    for (const variable of read)
      expect({ variable, documented: example.includes(`\n${variable}=`) }).toEqual({
        variable,
        documented: true,
      });
  });

  it('provisions Grafana with the Prometheus and Jaeger data sources and every dashboard', () => {
    const service = compose.services.grafana!;
    const provisioning = resolve(MONITORING_DIR, 'grafana', 'provisioning');
    const dashboardsDir = resolve(MONITORING_DIR, 'grafana', 'dashboards');
    expect(mountedAt(service, provisioning)).toBe('/etc/grafana/provisioning');
    const dashboardsMount = mountedAt(service, dashboardsDir);
    expect(dashboardsMount).toBeDefined();

    const datasources = parse(readFileSync(resolve(provisioning, 'datasources', 'backbone.yml'), 'utf8')) as {
      datasources: { uid: string; type: string; url: string }[];
    };
    const byType = new Map(datasources.datasources.map((source) => [source.type, source]));
    expect(byType.get('prometheus')?.url).toBe('http://prometheus:9090');
    expect(byType.get('jaeger')?.url).toBe('http://jaeger:16686');

    const providers = parse(readFileSync(resolve(provisioning, 'dashboards', 'backbone.yml'), 'utf8')) as {
      providers: { options: { path: string } }[];
    };
    expect(providers.providers.map((provider) => provider.options.path)).toEqual([dashboardsMount]);

    const uids = new Set(datasources.datasources.map((source) => source.uid));
    const dashboards = dashboardFiles();
    expect(dashboards.length).toBeGreaterThanOrEqual(3);
    expect(new Set(dashboards.map(({ dashboard }) => dashboard.uid)).size).toBe(dashboards.length);
    for (const { file, dashboard } of dashboards) {
      const panels = dashboard.panels as { title: string; datasource?: { uid?: string } }[];
      expect(panels.length).toBeGreaterThan(0);
      for (const panel of panels)
        expect({ file, panel: panel.title, uid: uids.has(panel.datasource?.uid ?? '') }).toEqual({
          file,
          panel: panel.title,
          uid: true,
        });
    }
  });

  it('has every service send its traces to Jaeger over OTLP/HTTP', () => {
    for (const { name } of services) {
      expect({ name, endpoint: compose.services[name]?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT }).toEqual({
        name,
        endpoint: expect.stringContaining('http://jaeger:4318'),
      });
    }
  });
});
