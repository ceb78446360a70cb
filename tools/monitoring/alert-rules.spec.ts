import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { ALERT_RULES_FILE, ALERT_TESTS_FILE } from './monitoring-files';

/**
 * The alert rules parse (`promtool check rules`) and behave as their unit tests say, on synthetic
 * series (`promtool test rules infra/monitoring/prometheus/alerts.test.yml`). promtool comes with
 * Debian's `prometheus` package (.ci/run installs it in CI).
 */
function promtool(...args: string[]) {
  const result = spawnSync('promtool', args, { cwd: dirname(ALERT_RULES_FILE), encoding: 'utf8' });
  if (result.error)
    throw new Error(
      `promtool could not run (${result.error.message}): install Debian's prometheus package (bash .ci/install-debian-tools)`,
    );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('Prometheus alert rules (promtool)', () => {
  it('parse: promtool check rules', () => {
    const result = promtool('check', 'rules', ALERT_RULES_FILE);
    expect({ status: result.status, output: result.output }).toEqual({
      status: 0,
      output: expect.stringContaining('SUCCESS'),
    });
  });

  it('fire and stay quiet as their unit tests say: promtool test rules', () => {
    const result = promtool('test', 'rules', ALERT_TESTS_FILE);
    expect({ status: result.status, output: result.output }).toEqual({
      status: 0,
      output: expect.stringContaining('SUCCESS'),
    });
  });
});
