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

  describe('service clients with allow-lists (finding 4)', () => {
    let clients: DossierTestApp;

    beforeAll(async () => {
      clients = await startDossierTestApp({
        SERVICE_CLIENTS:
          'national-portal:dossier.submit-online+dossier.provide-supplement+dossier.withdraw@00070;' +
          'payment-gateway:dossier.record-payment',
      });
    });

    afterAll(async () => {
      await clients?.close();
    });

    const submit = (token: string, unitCode: string) =>
      clients.app.inject({
        method: 'POST',
        url: '/dossiers/online',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify({
          unitCode,
          procedureCode: '1.001193',
          applicant: { fullName: 'Trần Thị Bích Ngọc', nationalId: '079188054321', phone: '0987654321' },
        }),
      });

    it('lets each service client do only the actions (and units) on its list', async () => {
      const portal = await clients.token('national-portal', ['service'], []);
      const gateway = await clients.token('payment-gateway', ['service'], []);
      const stranger = await clients.token('some-other-system', ['service'], []);

      const submitted = await submit(portal, '00070');
      expect(submitted.statusCode).toBe(201);
      const dossier = submitted.json() as { id: string; version: number };
      // The portal files for its unit only.
      expect((await submit(portal, '00103')).statusCode).toBe(403);
      // The payment gateway may record payments, not file, withdraw or resolve.
      expect((await submit(gateway, '00070')).statusCode).toBe(403);
      for (const action of ['withdraw', 'provide-supplement', 'resolve', 'return-result']) {
        const response = await clients.app.inject({
          method: 'POST',
          url: `/dossiers/${dossier.id}/${action}`,
          headers: { authorization: `Bearer ${gateway}`, 'content-type': 'application/json' },
          payload: JSON.stringify({ expectedVersion: dossier.version }),
        });
        expect({ action, status: response.statusCode }).toEqual({ action, status: 403 });
      }
      // A client that is not registered may do nothing.
      expect((await submit(stranger, '00070')).statusCode).toBe(403);
      const read = await clients.app.inject({
        method: 'GET',
        url: `/dossiers/${dossier.id}`,
        headers: { authorization: `Bearer ${stranger}` },
      });
      expect(read.statusCode).toBe(403);
      // The portal withdraws on the citizen's behalf: allowed.
      const withdrawn = await clients.app.inject({
        method: 'POST',
        url: `/dossiers/${dossier.id}/withdraw`,
        headers: { authorization: `Bearer ${portal}`, 'content-type': 'application/json' },
        payload: JSON.stringify({ expectedVersion: dossier.version, reason: 'citizen request' }),
      });
      expect(withdrawn.statusCode).not.toBe(403);
    });
  });
});
