import { Gauge, register } from 'prom-client';

/** Resolves when the dependency answers (the probes of /health/ready); rejects otherwise. */
export type DependencyProbe = () => Promise<unknown>;

export const DEPENDENCY_UP_GAUGE = 'service_dependency_up';

/** The probes measured at each scrape: the latest application's (a process serves one). */
let measured: ReadonlyMap<string, DependencyProbe> | undefined;

function dependencyGauge(): Gauge<'dependency'> {
  const existing = register.getSingleMetric(DEPENDENCY_UP_GAUGE);
  if (existing) return existing as Gauge<'dependency'>;
  return new Gauge({
    name: DEPENDENCY_UP_GAUGE,
    help: '1 when the dependency (database, kafka) answered its readiness probe during this scrape, else 0',
    labelNames: ['dependency'],
    registers: [register],
    // Measured when Prometheus scrapes (every 15 s or so), so the figure is never older than the scrape.
    async collect() {
      const probes = measured;
      if (!probes) return;
      await Promise.all(
        [...probes].map(async ([dependency, probe]) => {
          let up = 1;
          try {
            await probe();
          } catch {
            up = 0;
          }
          this.set({ dependency }, up);
        }),
      );
    },
  });
}

/**
 * Publishes `service_dependency_up{dependency}` on /metrics (alert ServiceDependencyDown in
 * infra/monitoring): each probe runs when the metrics are collected. Returns the function that
 * stops measuring these probes (when the application closes).
 */
export function measureDependencies(probes: ReadonlyMap<string, DependencyProbe>): () => void {
  dependencyGauge();
  measured = probes;
  return () => {
    if (measured === probes) measured = undefined;
  };
}
