import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { registeredEventTypes } from '@backbone/contracts';
import { chromium, type Browser } from 'playwright-core';
import { type EventsTestService, startEventsTestService } from './support/events-test-service';

/*
 * Issue 18: a person can browse the event catalogue. A real service serves the page; Debian's
 * headless Chromium (never a downloaded browser) renders the AsyncAPI document with the maintained
 * renderer (@asyncapi/react-component); the screenshot is kept as a test artefact.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(__dirname, '..', '..', '.cache', 'artifacts');

describe('the event catalogue page renders in headless Chromium', () => {
  let events: EventsTestService;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install chromium (listed in .ci/run)`);
    events = await startEventsTestService();
    // As root, Debian's Chromium runs only without its sandbox.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await events?.close();
  });

  it('shows every event type with producer, topic, key, ordering, example, schema and version history', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(events.baseUrl, { waitUntil: 'networkidle' });
    // The renderer replaced the placeholder with the document: its title and the messages.
    mkdirSync(ARTIFACTS, { recursive: true });
    try {
      // The renderer replaced the placeholder: the document's title is inside #asyncapi.
      await page
        .locator('#asyncapi')
        .getByText('Two-tier backbone events', { exact: false })
        .first()
        .waitFor({ state: 'attached', timeout: 90_000 });
    } catch (error) {
      await page.screenshot({ path: resolve(ARTIFACTS, 'event-catalogue-failed.png') });
      throw new Error(
        `the renderer did not show the document: ${String(error)}\n${problems.join('\n')}\n${(await page.locator('#asyncapi').innerText()).slice(0, 500)}`,
      );
    }
    const text = await page.locator('#asyncapi').innerText();
    for (const { metadata } of registeredEventTypes()) expect(text).toContain(metadata.type);
    for (const part of ['Producer:', 'Topic:', 'Key:', 'Ordering:', 'Version history:'])
      expect(text).toContain(part);
    expect(text).toContain(`${events.baseUrl}schemas/dossier.received.v1.json`);
    expect(text).toMatch(/Examples?/);
    expect(problems).toEqual([]);

    const file = resolve(ARTIFACTS, 'event-catalogue.png');
    await page.screenshot({ path: file });
    expect(existsSync(file)).toBe(true);
    await page.close();
  });

  it('is linked from the service’s /docs (OpenAPI external docs and description)', async () => {
    const response = await fetch(`${events.origin}/docs/openapi.json`);
    const document = (await response.json()) as {
      externalDocs?: { url: string };
      info: { description?: string };
    };
    expect(document.externalDocs?.url).toBe('/events/');
    expect(document.info.description).toContain('](/events/)');
    const page = await browser.newPage();
    await page.goto(`${events.origin}/docs`, { waitUntil: 'networkidle' });
    // Swagger UI renders the description's link (and the external docs link) to the catalogue.
    const link = page.getByRole('link', { name: /event catalogue/i }).first();
    await link.waitFor({ timeout: 60_000 });
    expect(new URL((await link.getAttribute('href'))!, `${events.origin}/docs`).href).toBe(events.baseUrl);
    await page.close();
  });
});
