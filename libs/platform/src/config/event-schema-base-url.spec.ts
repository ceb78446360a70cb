import { DEVELOPMENT_EVENT_SCHEMA_BASE_URL } from '@backbone/contracts';
import { platformTestEnv } from '../testing/platform-test-env';
import { ConfigError, loadConfig } from './load-config';
import { isLoopbackHost, PlatformConfig } from './platform-config';

/** The problems loadConfig reports for EVENT_SCHEMA_BASE_URL alone (production needs more variables). */
function baseUrlProblems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(PlatformConfig, platformTestEnv({ EVENT_SCHEMA_BASE_URL: undefined, ...env }));
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems
      .filter((problem) => problem.variable === 'EVENT_SCHEMA_BASE_URL')
      .map((problem) => problem.expected);
  }
}

describe('EVENT_SCHEMA_BASE_URL (the catalogue base of every dataschema, docs/adr/0013)', () => {
  it('defaults outside production to where npm start serves the catalogue', () => {
    const config = loadConfig(PlatformConfig, platformTestEnv({ EVENT_SCHEMA_BASE_URL: undefined }));
    expect(config.EVENT_SCHEMA_BASE_URL).toBe(DEVELOPMENT_EVENT_SCHEMA_BASE_URL);
    expect(config.eventSchemaBaseUrl).toBe('http://127.0.0.1:3105/events/');
  });

  it('is normalised to end in a slash', () => {
    const config = loadConfig(
      PlatformConfig,
      platformTestEnv({ EVENT_SCHEMA_BASE_URL: 'https://backbone.hanoi.gov.vn/events' }),
    );
    expect(config.eventSchemaBaseUrl).toBe('https://backbone.hanoi.gov.vn/events/');
  });

  it('refuses what is not a plain absolute http(s) URL', () => {
    expect(baseUrlProblems({ EVENT_SCHEMA_BASE_URL: 'events/' })).toEqual([expect.stringMatching(/URL/)]);
    expect(baseUrlProblems({ EVENT_SCHEMA_BASE_URL: 'ftp://host/events/' })).toEqual([
      expect.stringMatching(/https:|http:/),
    ]);
    expect(baseUrlProblems({ EVENT_SCHEMA_BASE_URL: 'https://user:pw@host/events/' })).toEqual([
      expect.stringMatching(/credentials/),
    ]);
    expect(baseUrlProblems({ EVENT_SCHEMA_BASE_URL: 'https://host/events/?v=1' })).toEqual([
      expect.stringMatching(/query or fragment/),
    ]);
  });

  it('is required in production, and may not be a loopback address there', () => {
    expect(baseUrlProblems({ NODE_ENV: 'production' })).toEqual([
      expect.stringMatching(/required when NODE_ENV=production/),
    ]);
    for (const url of ['http://127.0.0.1:3105/events/', 'http://localhost/events/', 'http://[::1]/events/'])
      expect(baseUrlProblems({ NODE_ENV: 'production', EVENT_SCHEMA_BASE_URL: url })).toEqual([
        expect.stringMatching(/must not be a loopback address/),
      ]);
    expect(
      baseUrlProblems({
        NODE_ENV: 'production',
        EVENT_SCHEMA_BASE_URL: 'https://backbone.hanoi.gov.vn/events/',
      }),
    ).toEqual([]);
    // Outside production a loopback base is the normal case (npm start).
    expect(baseUrlProblems({ EVENT_SCHEMA_BASE_URL: 'http://localhost:3105/events/' })).toEqual([]);
  });

  it('knows the loopback names', () => {
    expect(
      ['localhost', 'a.localhost', '127.0.0.1', '127.1.2.3', '::1', '0.0.0.0'].every(isLoopbackHost),
    ).toBe(true);
    expect(['backbone.hanoi.gov.vn', '10.0.0.5', '128.0.0.1'].some(isLoopbackHost)).toBe(false);
  });
});
