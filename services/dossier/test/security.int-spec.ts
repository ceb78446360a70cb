import { DataSource } from 'typeorm';
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
  describe('service clients limited to units, on dossiers found by id (finding 4, lifecycle)', () => {
    const UNIT_A = '00070';
    const UNIT_B = '00103';
    const RESIDENCE = '1.004194'; // Đăng ký tạm trú: fee 15,000, no signature
    let limited: DossierTestApp;
    let gateway: string;
    const officers: Record<string, string> = {};

    beforeAll(async () => {
      limited = await startDossierTestApp({
        SERVICE_CLIENTS: `payment-gateway:dossier.record-payment+dossier.read@${UNIT_A}`,
      });
      gateway = await limited.token('payment-gateway', ['service'], []);
      officers[UNIT_A] = await limited.token('0198a000-0000-7000-8000-0000000000b1', ['officer'], [UNIT_A]);
      officers[UNIT_B] = await limited.token('0198a000-0000-7000-8000-0000000000b2', ['officer'], [UNIT_B]);
    });

    afterAll(async () => {
      await limited?.close();
    });

    const call = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
      limited.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });

    /** A dossier of `unit` awaiting its fee (version 3), by that unit's officer. */
    async function awaitingPayment(unit: string): Promise<string> {
      const officer = officers[unit]!;
      const created = await call('POST', '/dossiers', officer, {
        unitCode: unit,
        procedureCode: RESIDENCE,
        channel: 'direct',
        applicant: { fullName: 'Lê Thị Hoa', nationalId: '001199012345' },
      });
      expect(created.statusCode).toBe(201);
      const { id } = created.json() as { id: string };
      for (const [action, version] of [
        ['start-processing', 1],
        ['request-payment', 2],
      ] as const) {
        const response = await call('POST', `/dossiers/${id}/${action}`, officer, {
          expectedVersion: version,
        });
        expect({ action, status: response.statusCode }).toEqual({ action, status: 200 });
      }
      return id;
    }

    const written = async (id: string) =>
      (
        await limited.app.get(DataSource).query(
          `SELECT (SELECT version FROM dossiers WHERE id = $1)::int AS version,
                  (SELECT status FROM dossiers WHERE id = $1) AS status,
                  (SELECT count(*) FROM dossier_history WHERE dossier_id = $1)::int AS history,
                  (SELECT count(*) FROM outbox WHERE message_key = $1::text)::int AS events,
                  (SELECT count(*) FROM platform_audit_log
                    WHERE target_id = $1::text AND outcome = 'succeeded')::int AS audit`,
          [id],
        )
      )[0] as { version: number; status: string; history: number; events: number; audit: number };

    const recordPayment = (id: string) =>
      call('POST', `/dossiers/${id}/record-payment`, gateway, {
        expectedVersion: 3,
        amountVnd: 15_000,
        paymentChannel: 'online',
      });

    it('records a payment on its unit’s dossier, and is refused on another unit’s with nothing written', async () => {
      const inA = await awaitingPayment(UNIT_A);
      const inB = await awaitingPayment(UNIT_B);

      const paidA = await recordPayment(inA);
      expect(paidA.statusCode).toBe(200);
      expect(paidA.json()).toMatchObject({ status: 'processing', version: 4 });

      const before = await written(inB);
      expect(before).toMatchObject({ status: 'awaiting-payment', version: 3 });
      const paidB = await recordPayment(inB);
      // As for staff: another unit's dossier found by id is a 404, so its id reveals nothing.
      expect(paidB.statusCode).toBe(404);
      expect(await written(inB)).toEqual(before);

      // Reads follow the same units: its unit's dossier yes, the other's is not found, lists hold only its unit.
      expect((await call('GET', `/dossiers/${inA}`, gateway)).statusCode).toBe(200);
      expect((await call('GET', `/dossiers/${inB}`, gateway)).statusCode).toBe(404);
      const listed = await call('GET', '/dossiers', gateway);
      expect(listed.statusCode).toBe(200);
      const items = (listed.json() as { items: { id: string; unitCode: string }[] }).items;
      expect(items.map((item) => item.id)).toEqual([inA]);
      // The other unit's officer still pays it: the dossier itself was untouched.
      const paidByOfficer = await call('POST', `/dossiers/${inB}/record-payment`, officers[UNIT_B]!, {
        expectedVersion: 3,
        amountVnd: 15_000,
        paymentChannel: 'cash',
      });
      expect(paidByOfficer.statusCode).toBe(200);
    });
  });
});
