import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ALERT_RULES_FILE, ALERTMANAGER_CONFIG_FILE, ALERTMANAGER_RENDER_SCRIPT } from './monitoring-files';

/**
 * Alertmanager's configuration: valid as committed (`amtool check-config`; amtool comes with
 * Debian's prometheus-alertmanager package, which .ci/run installs) and as render-config.sh writes it
 * from the city's ALERT_* variables; alerts routed by severity (`amtool config routes test`); the
 * inhibit rules name alerts that exist; no address, URL or password committed.
 */
function amtool(...args: string[]) {
  const result = spawnSync('amtool', args, { encoding: 'utf8' });
  if (result.error)
    throw new Error(
      `amtool could not run (${result.error.message}): install Debian's prometheus-alertmanager package (bash .ci/install-debian-tools amtool:prometheus-alertmanager)`,
    );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

interface AlertmanagerConfig {
  global?: Record<string, unknown>;
  route: { receiver: string; routes?: { receiver: string; matchers: string[] }[] };
  inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
  receivers: {
    name: string;
    email_configs?: { to: string; send_resolved?: boolean }[];
    webhook_configs?: { url: string; send_resolved?: boolean }[];
  }[];
}

const directory = mkdtempSync(join(tmpdir(), 'alertmanager-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let rendered = 0;
/** render-config.sh with exactly these ALERT_* variables: the written file, or its exit and output. */
function render(env: Record<string, string>) {
  const output = join(directory, `alertmanager-${(rendered += 1)}.yml`);
  const alertFree = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('ALERT_')),
  );
  const result = spawnSync('sh', [ALERTMANAGER_RENDER_SCRIPT, ALERTMANAGER_CONFIG_FILE, output], {
    env: { ...alertFree, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr, file: output };
}

function receiverFor(file: string, ...labels: string[]): string {
  const result = amtool('config', 'routes', 'test', `--config.file=${file}`, ...labels);
  expect(result.status).toBe(0);
  return result.output.split('\n')[0]!.trim();
}

const MAIL = {
  ALERT_SMTP_SMARTHOST: 'smtp.hanoi.example:587',
  ALERT_SMTP_FROM: 'alertmanager@hanoi.example',
  ALERT_SMTP_USERNAME: 'alertmanager',
  ALERT_SMTP_PASSWORD: "p'ss: {not yaml}",
};

describe('Alertmanager configuration (amtool)', () => {
  it('is valid as committed: amtool check-config', () => {
    const result = amtool('check-config', ALERTMANAGER_CONFIG_FILE);
    expect({ status: result.status, output: result.output }).toEqual({
      status: 0,
      output: expect.stringContaining('SUCCESS'),
    });
  });

  it('routes critical alerts to the urgent receiver and the rest to operations', () => {
    expect(receiverFor(ALERTMANAGER_CONFIG_FILE, 'severity=critical', 'alertname=ServiceDown')).toBe(
      'city-operations-urgent',
    );
    expect(receiverFor(ALERTMANAGER_CONFIG_FILE, 'severity=warning', 'alertname=DeadLettersParked')).toBe(
      'city-operations',
    );
    expect(receiverFor(ALERTMANAGER_CONFIG_FILE, 'alertname=Watchdog')).toBe('city-operations');
  });

  it('routes every severity the alert rules use', () => {
    const rules = parse(readFileSync(ALERT_RULES_FILE, 'utf8')) as {
      groups: { rules: { alert?: string; labels?: { severity?: string } }[] }[];
    };
    const severities = new Set(rules.groups.flatMap((g) => g.rules.map((r) => r.labels?.severity)));
    expect([...severities].sort()).toEqual(['critical', 'warning']);
  });

  it('inhibits only alerts that the rules define, by labels they carry', () => {
    const config = parse(readFileSync(ALERTMANAGER_CONFIG_FILE, 'utf8')) as AlertmanagerConfig;
    const rules = parse(readFileSync(ALERT_RULES_FILE, 'utf8')) as {
      groups: { rules: { alert?: string }[] }[];
    };
    const alerts = new Set(rules.groups.flatMap((group) => group.rules.map((rule) => rule.alert)));
    const named = config.inhibit_rules
      .flatMap((rule) => [...rule.source_matchers, ...rule.target_matchers])
      .flatMap((matcher) => /^alertname=~?"(.*)"$/.exec(matcher)?.[1]?.split('|') ?? []);
    expect(named.length).toBeGreaterThan(0);
    for (const name of named) expect({ name, defined: alerts.has(name) }).toEqual({ name, defined: true });
    // A service that is down silences its own follow-ups, not other services'.
    const serviceDown = config.inhibit_rules.find((rule) =>
      rule.source_matchers.includes('alertname="ServiceDown"'),
    );
    expect(serviceDown?.equal).toEqual(['service']);
  });

  it('commits no address, URL or password: the receivers send nowhere until the city says where', () => {
    const config = parse(readFileSync(ALERTMANAGER_CONFIG_FILE, 'utf8')) as AlertmanagerConfig;
    expect(config.receivers.map((receiver) => receiver.name).sort()).toEqual([
      'city-operations',
      'city-operations-urgent',
    ]);
    for (const receiver of config.receivers) expect(Object.keys(receiver)).toEqual(['name']);
    expect(Object.keys(config.global ?? {})).toEqual(['resolve_timeout']);
  });

  it('renders unchanged routing without ALERT_* variables', () => {
    const result = render({});
    expect(result.status).toBe(0);
    expect(amtool('check-config', result.file).status).toBe(0);
    expect(parse(readFileSync(result.file, 'utf8'))).toEqual(
      parse(readFileSync(ALERTMANAGER_CONFIG_FILE, 'utf8')),
    );
  });

  it('renders email and webhook receivers from the environment, valid for amtool', () => {
    const result = render({
      ...MAIL,
      ALERT_EMAIL_TO: 'ops@hanoi.example, it-duty@hanoi.example',
      ALERT_WEBHOOK_URL: 'https://chat.hanoi.example/hooks/alerts?token=abc',
      ALERT_CRITICAL_WEBHOOK_URL: 'https://oncall.hanoi.example/alertmanager',
    });
    expect(result).toMatchObject({ status: 0 });
    const check = amtool('check-config', result.file);
    expect({ status: check.status, output: check.output }).toEqual({
      status: 0,
      output: expect.stringContaining('SUCCESS'),
    });
    const config = parse(readFileSync(result.file, 'utf8')) as AlertmanagerConfig;
    expect(config.global).toMatchObject({
      smtp_smarthost: MAIL.ALERT_SMTP_SMARTHOST,
      smtp_from: MAIL.ALERT_SMTP_FROM,
      smtp_auth_username: MAIL.ALERT_SMTP_USERNAME,
      smtp_auth_password: MAIL.ALERT_SMTP_PASSWORD, // quoted: the value cannot change the structure
      smtp_require_tls: true,
    });
    const receivers = new Map(config.receivers.map((receiver) => [receiver.name, receiver]));
    expect(receivers.get('city-operations')).toEqual({
      name: 'city-operations',
      email_configs: [{ to: 'ops@hanoi.example, it-duty@hanoi.example', send_resolved: true }],
      webhook_configs: [{ url: 'https://chat.hanoi.example/hooks/alerts?token=abc', send_resolved: true }],
    });
    // Critical alerts: the same addresses unless set apart, their own webhook here.
    expect(receivers.get('city-operations-urgent')).toEqual({
      name: 'city-operations-urgent',
      email_configs: [{ to: 'ops@hanoi.example, it-duty@hanoi.example', send_resolved: true }],
      webhook_configs: [{ url: 'https://oncall.hanoi.example/alertmanager', send_resolved: true }],
    });
    expect(receiverFor(result.file, 'severity=critical')).toBe('city-operations-urgent');
  });

  it('renders a webhook alone, without a mail server', () => {
    const result = render({ ALERT_WEBHOOK_URL: 'http://ticketing.hanoi.example/alerts' });
    expect(result.status).toBe(0);
    expect(amtool('check-config', result.file).status).toBe(0);
    const config = parse(readFileSync(result.file, 'utf8')) as AlertmanagerConfig;
    expect(config.receivers.every((receiver) => receiver.email_configs === undefined)).toBe(true);
    expect(config.receivers.map((receiver) => receiver.webhook_configs?.[0]?.url)).toEqual([
      'http://ticketing.hanoi.example/alerts',
      'http://ticketing.hanoi.example/alerts',
    ]);
  });

  it('refuses an email address without a mail server', () => {
    const result = render({ ALERT_EMAIL_TO: 'ops@hanoi.example' });
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('ALERT_SMTP_SMARTHOST');
  });
});
