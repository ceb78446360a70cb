import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type CloudEvent, EVENT_HEADERS } from '@backbone/contracts';
import {
  createKafkaClient,
  DEAD_LETTER_HEADERS,
  deadLetterTopicFor,
  toOutgoingMessage,
} from '@backbone/messaging';
import {
  createTestDatabase,
  createTestTopics,
  type DevOidcProcess,
  eventually,
  signTestToken,
  spawnDevOidcProvider,
  type TestDatabase,
  testKafkaBrokers,
  uniqueName,
} from '@backbone/testing';
import { Client } from 'pg';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { generateDossierEvents } from './builders/generate-dossier-events';
import {
  freePort,
  publishEvents,
  type ReportingProcess,
  startReportingProcess,
} from './support/reporting-process';

/*
 * The city dashboard in a real browser (Debian's Chromium through playwright-core, headless) against
 * the real stack: the development OpenID Connect provider as its own process, the reporting service
 * as its own process verifying tokens through the provider's JWKS, Kafka and PostgreSQL. Screenshots
 * of each view go to .cache/artifacts/dashboard/.
 */
const repoRoot = resolve(__dirname, '../../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(repoRoot, '.cache', 'artifacts', 'dashboard');
const FROM = '2025-07-01';
const TO = '2025-07-15';
const UNITS = ['00070', '00103', '00466'];

interface CatalogueFigure {
  key: string;
  path: string;
  format: string;
  tile: boolean;
  column: boolean;
}

/** What the tests read of the reporting API's answers. */
interface ApiBody {
  figures: { dossiers: { received: number } } & Record<string, unknown>;
  freshness: { consumerLag: { messages: number | null } };
  units: { unitCode: string; figures: unknown }[];
}

/** The browser's globals, inside page.evaluate (this file is type-checked without the DOM library). */
interface BrowserGlobals {
  document: { documentElement: { lang: string } };
  axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
}

function valueAt(figures: unknown, path: string): number | null {
  let value: unknown = figures;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'number' ? value : null;
}

const vi = {
  count: new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }),
  percent: new Intl.NumberFormat('vi-VN', {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }),
  vnd: new Intl.NumberFormat('vi-VN', { style: 'currency', currency: 'VND', maximumFractionDigits: 0 }),
};
function vietnamese(value: number | null, format: string): string {
  if (value === null) return '—';
  return format === 'percent'
    ? vi.percent.format(value)
    : format === 'vnd'
      ? vi.vnd.format(value)
      : vi.count.format(value);
}

describe('city dashboard in Chromium (sign-in, tiles, units, scope, language, dead-letter replay, a11y)', () => {
  if (!existsSync(CHROMIUM)) {
    it('needs Debian Chromium (.ci/run installs it)', () => {
      throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
    });
    return;
  }

  const password = randomBytes(12).toString('base64url');
  const keyDir = mkdtempSync(join(tmpdir(), 'dashboard-keys-'));
  const assetsDir = mkdtempSync(join(tmpdir(), 'dashboard-web-'));
  const topic = uniqueName('dashboard_dossier_events');
  const group = uniqueName('reporting_dashboard');
  const events = generateDossierEvents({ targetEvents: 1_200, unitCodes: UNITS, seed: 11 });
  // One received dossier kept off the topic: it waits in the dead letters until replayed.
  const parked = events.find((e) => e.type === 'dossier.received.v1' && e.unitcode === '00466')!;
  const published = events.filter((e) => e.subject !== parked.subject);
  let database: TestDatabase;
  let provider: DevOidcProcess;
  let service: ReportingProcess;
  let baseUrl: string;
  let browser: Browser;
  let adminToken: string;
  let catalogue: CatalogueFigure[];

  async function api(path: string, token = adminToken): Promise<ApiBody> {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as ApiBody;
  }

  async function signIn(context: BrowserContext, username: string): Promise<Page> {
    // Two cores carry Kafka, PostgreSQL, the services and Chromium: generous bounds on each step.
    context.setDefaultTimeout(90_000);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/dashboard`);
    await page.getByTestId('sign-in').click();
    await page.waitForURL((url) => url.toString().startsWith(provider.issuer));
    await page.fill('#username', username);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL(`${baseUrl}/dashboard**`), page.click('button[type=submit]')]);
    await page.getByTestId('who').waitFor();
    return page;
  }

  async function setPeriod(page: Page): Promise<void> {
    await page.fill('input[name=from]', FROM);
    await page.fill('input[name=to]', TO);
    await page.getByTestId('apply-period').click();
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true, timeout: 120_000 });
  }

  /** axe-core in the page: no serious or critical violation. */
  async function expectAccessible(page: Page, view: string): Promise<void> {
    await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as unknown as BrowserGlobals).axe.run();
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    expect({
      view,
      serious: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    }).toEqual({
      view,
      serious: [],
    });
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const build = spawnSync(
      process.execPath,
      [resolve(repoRoot, 'services/reporting/web/build.mjs'), '--out', assetsDir, '--no-typecheck'],
      { encoding: 'utf8' },
    );
    if (build.status !== 0) throw new Error(`dashboard build failed: ${build.stderr}`);

    database = await createTestDatabase('reporting_dashboard');
    await createTestTopics([{ topic, numPartitions: 3 }]);
    await publishEvents(topic, published);

    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    provider = await spawnDevOidcProvider({
      issuer: 'http://127.0.0.1:0/realms/hanoi',
      port: 0,
      password,
      dashboardRedirectUris: [`${baseUrl}/dashboard`],
      keyDir,
    });
    service = await startReportingProcess({
      PORT: String(port),
      DATABASE_URL: database.url,
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      JWT_ISSUER: provider.issuer,
      JWKS_URL: provider.jwksUrl,
      DASHBOARD_ASSETS_DIR: assetsDir,
      REPORTING_TOPICS: topic,
      REPORTING_CONSUMER_GROUP: group,
    });
    // A script's token (npm run token): signed with the provider's key, verified through its JWKS.
    adminToken = await signTestToken(readFileSync(join(keyDir, 'jwt-private.pem'), 'utf8'), {
      roles: ['city-admin'],
      units: [],
      issuer: provider.issuer,
    });
    await eventually(
      async () => {
        const body = await api(`/reports/city/summary?from=${FROM}&to=${TO}`);
        const expected = published.filter((e) => e.type === 'dossier.received.v1').length;
        if (body.figures.dossiers.received !== expected || body.freshness.consumerLag.messages !== 0)
          throw new Error(
            `received ${body.figures.dossiers.received}/${expected}, lag ${body.freshness.consumerLag.messages}`,
          );
      },
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
    catalogue = (
      (await (await fetch(`${baseUrl}/dashboard/catalogue`)).json()) as { figures: CatalogueFigure[] }
    ).figures;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    service?.child.kill('SIGTERM');
    await service?.exited;
    await provider?.stop();
    await database?.drop();
    rmSync(keyDir, { recursive: true, force: true });
    rmSync(assetsDir, { recursive: true, force: true });
  }, 60_000);

  it('signs a city admin in (code + PKCE) and shows every city tile equal to the API figure', async () => {
    const context = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    const page = await signIn(context, 'city-admin');
    await setPeriod(page);
    await page.locator('[data-testid=tiles] [data-figure]').first().waitFor();
    const summary = await api(`/reports/city/summary?from=${FROM}&to=${TO}`);
    const tiles = catalogue.filter((figure) => figure.tile);
    expect(tiles.map((t) => t.key)).toEqual(
      expect.arrayContaining([
        'dossiersReceived',
        'shareOnline',
        'proceduresInUse',
        'hotlineCalls',
        'appReports',
        'newAppAccounts',
        'membersRegistered',
        'feeTransactions',
        'onTimeRate',
        'onlineRate',
        'digitisationRate',
      ]),
    );
    for (const figure of tiles) {
      const tile = page.locator(`[data-testid=tiles] [data-figure="${figure.key}"]`);
      const expected = valueAt(summary.figures, figure.path);
      expect({ figure: figure.key, value: await tile.getAttribute('data-value') }).toEqual({
        figure: figure.key,
        value: expected === null ? '' : String(expected),
      });
      expect(await tile.locator('.value').textContent()).toBe(vietnamese(expected, figure.format));
    }
    expect(summary.figures.dossiers.received).toBeGreaterThan(50);
    // The freshness stamp, on this view as on every other.
    await expect(page.getByTestId('freshness').textContent()).resolves.toMatch(
      /^Số liệu đầy đủ đến .+, độ trễ 0$/,
    );
    await page.locator('canvas[data-series=dossiersReceived]').waitFor();
    await screenshot(page, 'city');
    await expectAccessible(page, 'city');

    // The language toggle: English labels, the same Vietnamese numbers.
    await page.getByTestId('language-toggle').click();
    await page.locator('h1', { hasText: 'Hanoi city dashboard' }).waitFor();
    expect(
      await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.documentElement.lang),
    ).toBe('en');
    await expect(
      page.locator('[data-testid=tiles] [data-figure=dossiersReceived] .label').textContent(),
    ).resolves.toBe('Dossiers received');
    await expect(page.getByTestId('freshness').textContent()).resolves.toMatch(/^Complete up to .+, lag 0$/);
    await screenshot(page, 'city-en');
    await page.getByTestId('language-toggle').click();
    await page.locator('h1', { hasText: 'Bảng điều hành thành phố Hà Nội' }).waitFor();
    await context.close();
  }, 420_000);

  it('lists the 126 units in a table that sorts, filters and searches without tone marks', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await signIn(context, 'auditor');
    await setPeriod(page);
    await page.goto(`${baseUrl}/dashboard#/units`);
    const rows = page.locator('[data-testid=units-table] tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(126);
    const perUnit = (await api(`/reports/units?from=${FROM}&to=${TO}`)).units;
    const received = new Map(perUnit.map((u) => [u.unitCode, valueAt(u.figures, 'dossiers.received')!]));

    await page.click('[data-sort=dossiersReceived]');
    await expect(
      page.locator('th:has([data-sort=dossiersReceived])').getAttribute('aria-sort'),
    ).resolves.toBe('descending');
    const top = await rows.evaluateAll((trs) => trs.slice(0, 3).map((tr) => tr.getAttribute('data-unit')));
    const expectedTop = [...received.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 3);
    expect(top).toEqual(expectedTop.map(([code]) => code));
    const shownValue = await rows.first().locator('[data-figure=dossiersReceived]').textContent();
    expect(shownValue).toBe(vietnamese(expectedTop[0]![1], 'count'));
    await page.click('[data-sort=dossiersReceived]');
    expect(await rows.first().getAttribute('data-unit')).not.toBe(top[0]);

    await page.getByTestId('unit-search').fill('hoan kiem');
    await expect(rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-unit')))).resolves.toEqual([
      '00070',
    ]);
    await page.getByTestId('unit-search').fill('');
    await page.getByTestId('unit-type').selectOption('ward');
    const wards = await rows.count();
    expect(wards).toBe(51);
    await page.getByTestId('unit-type').selectOption('all');
    await screenshot(page, 'units');
    await expectAccessible(page, 'units');

    await page.goto(`${baseUrl}/dashboard#/units/00466`);
    await page.getByTestId('unit-title').waitFor();
    await page.locator('[data-testid=tiles] [data-figure=dossiersReceived]').waitFor();
    const unit = await api(`/reports/units/00466/summary?from=${FROM}&to=${TO}`);
    await expect(
      page.locator('[data-testid=tiles] [data-figure=dossiersReceived]').getAttribute('data-value'),
    ).resolves.toBe(String(unit.figures.dossiers.received));
    await screenshot(page, 'unit-00466');

    await page.goto(`${baseUrl}/dashboard#/overdue`);
    await page.getByTestId('overdue-units').waitFor();
    await screenshot(page, 'overdue');
    await expectAccessible(page, 'overdue');
    await context.close();
  }, 420_000);

  it('shows an officer only their own unit, on every view', async () => {
    const context = await browser.newContext({ locale: 'vi-VN' });
    const page = await signIn(context, 'officer-00070');
    await page.getByTestId('unit-title').waitFor();
    await expect(page.getByTestId('unit-title').textContent()).resolves.toContain('00070');
    await setPeriod(page);
    await page.locator('[data-testid=tiles] [data-figure=dossiersReceived]').waitFor();
    await screenshot(page, 'officer-unit');
    await expectAccessible(page, 'officer-unit');
    const otherUnits = async () => {
      const text = await page.locator('main').innerText();
      const units = await page
        .locator('[data-unit]')
        .evaluateAll((els) => els.map((el) => el.getAttribute('data-unit')));
      return {
        units: units.filter((u) => u !== '00070'),
        mentions: ['00103', '00466', 'Tây Hồ'].filter((other) => text.includes(other)),
      };
    };
    expect(await otherUnits()).toEqual({ units: [], mentions: [] });

    await page.goto(`${baseUrl}/dashboard#/units`);
    await page.locator('[data-testid=units-table] tbody tr').first().waitFor();
    expect(await page.locator('[data-testid=units-table] tbody tr').count()).toBe(1);
    expect(await otherUnits()).toEqual({ units: [], mentions: [] });
    await screenshot(page, 'officer-units');

    await page.goto(`${baseUrl}/dashboard#/overdue`);
    await page.getByTestId('overdue-units').waitFor();
    expect(await otherUnits()).toEqual({ units: [], mentions: [] });
    // No city view, no pipeline for a unit's officer.
    expect(await page.locator('nav a[href="#/city"], nav a[href="#/pipeline"]').count()).toBe(0);
    await context.close();
  }, 420_000);

  it('lets the city admin replay a dead letter from the pipeline view, audited', async () => {
    // A dead letter of the group: the parked dossier's received event, as the consumer leaves one.
    const producer = createKafkaClient({
      brokers: testKafkaBrokers(),
      clientId: 'dashboard-test',
    }).producer();
    await producer.connect();
    const message = toOutgoingMessage(parked as CloudEvent);
    await producer.send([
      {
        topic: deadLetterTopicFor(group),
        messages: [
          {
            ...message,
            headers: {
              ...message.headers,
              [DEAD_LETTER_HEADERS.originalTopic]: topic,
              [DEAD_LETTER_HEADERS.originalPartition]: '0',
              [DEAD_LETTER_HEADERS.originalOffset]: '999999',
              [DEAD_LETTER_HEADERS.reason]: 'handler-failed',
              [DEAD_LETTER_HEADERS.message]: 'database unavailable',
              [DEAD_LETTER_HEADERS.attempts]: '5',
              [DEAD_LETTER_HEADERS.group]: group,
              [DEAD_LETTER_HEADERS.failedAt]: new Date().toISOString(),
            },
          },
        ],
      },
    ]);
    await producer.disconnect();
    expect(message.headers?.[EVENT_HEADERS.id]).toBe(parked.id);
    const before = (await api(`/reports/units/00466/summary?from=${FROM}&to=${TO}`)).figures.dossiers
      .received;

    const context = await browser.newContext({ locale: 'vi-VN' });
    // The city view's figures answer slowly, so the hash change below lands while the first view
    // after sign-in is still loading: the newest route must win (it was once lost).
    await context.route('**/reports/**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await route.continue();
    });
    const page = await signIn(context, 'city-admin');
    await page.goto(`${baseUrl}/dashboard#/pipeline`);
    await page
      .getByTestId('services')
      .waitFor()
      .catch(async (error: unknown) => {
        await screenshot(page, 'pipeline-failed');
        throw new Error(`${String(error)}\nthe page shows: ${await page.locator('main').innerText()}`);
      });
    await expect(page.getByTestId('broker').textContent()).resolves.toContain('hoạt động');
    await expect(page.locator('[data-testid=consumer-lag] tbody tr').count()).resolves.toBeGreaterThan(0);
    await page.click(`[data-show-dead-letters="${group}"]`);
    const replay = page.locator('[data-replay]').first();
    await replay.waitFor();
    await screenshot(page, 'pipeline');
    await expectAccessible(page, 'pipeline');
    const offset = await replay.getAttribute('data-replay');
    await replay.click();
    await expect(
      page.getByTestId(`replay-outcome-${offset}`).filter({ hasText: 'applied' }).textContent(),
    ).resolves.toBe('Đã phát lại: applied');
    await screenshot(page, 'pipeline-replayed');
    await context.close();

    const after = (await api(`/reports/units/00466/summary?from=${FROM}&to=${TO}`)).figures.dossiers.received;
    expect(after).toBe(before + 1);
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const audit = await db.query(
        `SELECT actor_subject, outcome, target_id FROM platform_audit_log WHERE action = 'dead-letters.replay'`,
      );
      expect(audit.rows).toEqual([
        {
          actor_subject: 'city-admin',
          outcome: 'succeeded',
          target_id: `${deadLetterTopicFor(group)}:${offset}`,
        },
      ]);
    } finally {
      await db.end();
    }

    // An auditor sees the dead letters but may not replay them.
    const auditorContext = await browser.newContext({ locale: 'vi-VN' });
    const auditorPage = await signIn(auditorContext, 'auditor');
    await auditorPage.goto(`${baseUrl}/dashboard#/pipeline`);
    await auditorPage.getByTestId('services').waitFor();
    await auditorPage.click(`[data-show-dead-letters="${group}"]`);
    await expect(auditorPage.locator('[data-replay]').first().isDisabled()).resolves.toBe(true);
    await auditorContext.close();
  }, 420_000);
});
