import { startDossierTestApp, type DossierTestApp } from './support/dossier-test-app';

/**
 * Issue 11, from outside: each test is an attack over HTTP against the whole dossier service
 * (real PostgreSQL and Kafka), and fails on the code before its fix.
 */
describe('dossier security (real database and broker)', () => {
  let t: DossierTestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await startDossierTestApp();
    tokens.officerA = await t.token('0198a000-0000-7000-8000-00000000000a', ['officer'], ['00070']);
    tokens.cityAdmin = await t.token('0198a000-0000-7000-8000-0000000000ad', ['city-admin'], []);
  });

  afterAll(async () => {
    await t?.close();
  });

  const request = (method: 'GET' | 'PUT' | 'POST', url: string, token: string, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': url }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  it('answers 400 to impossible or out-of-range dates in queries, paths and bodies (finding 1)', async () => {
    const cases: [string, Awaited<ReturnType<typeof request>>][] = [
      ['counts 2025-02-30', await request('GET', '/dossiers/counts?date=2025-02-30', tokens.officerA!)],
      ['counts 9999-12-31', await request('GET', '/dossiers/counts?date=9999-12-31', tokens.officerA!)],
      [
        'stats year 9999',
        await request(
          'GET',
          '/dossiers/stats?from=9999-12-30T00:00:00Z&to=9999-12-31T00:00:00Z',
          tokens.cityAdmin!,
        ),
      ],
      ['list year 1', await request('GET', '/dossiers?receivedFrom=0001-01-01T00:00:00Z', tokens.officerA!)],
      [
        'override 9999-12-31',
        await request('PUT', '/calendar/overrides/9999-12-31', tokens.cityAdmin!, {
          kind: 'day-off',
          reason: 'attack',
          source: 'none',
        }),
      ],
      [
        'unit validFrom 2025-02-30',
        await request('PUT', '/units/00070', tokens.cityAdmin!, {
          name: 'Phường Hoàn Kiếm',
          type: 'ward',
          validFrom: '2025-02-30',
        }),
      ],
      ['overrides year 9999', await request('GET', '/calendar/overrides?year=9999', tokens.officerA!)],
    ];
    expect(cases.map(([name, response]) => [name, response.statusCode])).toEqual(
      cases.map(([name]) => [name, 400]),
    );
    // A real day still works.
    expect((await request('GET', '/dossiers/counts?date=2025-07-01', tokens.officerA!)).statusCode).toBe(200);
  });
});
