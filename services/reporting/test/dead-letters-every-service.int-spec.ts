import { buildEvent, CalendarOfficialYearSetV1, type CloudEvent } from '@backbone/contracts';
import {
  createKafkaClient,
  deadLetterTopicFor,
  type IncomingRecord,
  deadLetterMessage,
  toOutgoingMessage,
} from '@backbone/messaging';
import {
  createTestDatabase,
  createTestTopics,
  eventually,
  signTestToken,
  type TestDatabase,
  testKafkaBrokers,
  testSigningKeys,
  uniqueName,
} from '@backbone/testing';
import { Client } from 'pg';
import { type ServiceProcess, waitUntilLive } from './support/dossier-process';
import { startHotlineProcess } from './support/hotline-process';
import { type ReportingProcess, startReportingProcess } from './support/reporting-process';

/**
 * Issue 16: operations staff see and replay the dead letters of EVERY service's consumer groups from
 * reporting's audited pipeline path, and each group is replayed by its own service with its own
 * consumer logic. The hotline and reporting services as processes, real Kafka and PostgreSQL: a
 * parked `calendar.official-year-set.v1` of the hotline's group (as its consumer leaves one) is
 * listed through reporting, refused to an auditor, replayed by a city admin through reporting, applied
 * by the hotline's own handler exactly once (a second replay is a duplicate), audited in both services.
 */
describe('dead letters of every service through the pipeline path (hotline + reporting processes)', () => {
  const keys = testSigningKeys();
  const dossierTopic = uniqueName('test_dlq_ops_dossier_events');
  const hotlineTopic = uniqueName('test_dlq_ops_hotline_events');
  const hotlineGroup = uniqueName('test_dlq_ops_hotline');
  const reportingGroup = uniqueName('test_dlq_ops_reporting');
  let hotlineDatabase: TestDatabase;
  let reportingDatabase: TestDatabase;
  let hotline: ServiceProcess;
  let reporting: ReportingProcess;
  let cityAdmin: string;
  let auditor: string;
  const parked: CloudEvent = buildEvent(CalendarOfficialYearSetV1, {
    subject: '2032',
    unitcode: 'VP-UBND',
    sequence: 2,
    data: {
      yearId: '2032',
      year: 2032,
      version: 2,
      decisionNumber: 'test/2032',
      daysOff: ['2032-07-05'],
      workingDays: ['2032-07-10'],
      setAt: new Date().toISOString(),
    },
  });

  beforeAll(async () => {
    [hotlineDatabase, reportingDatabase] = await Promise.all([
      createTestDatabase('dlq_ops_hotline'),
      createTestDatabase('dlq_ops_reporting'),
    ]);
    await createTestTopics([
      { topic: dossierTopic, numPartitions: 1 },
      { topic: hotlineTopic, numPartitions: 1 },
    ]);
    const kafka = testKafkaBrokers().join(',');
    hotline = await startHotlineProcess({
      DATABASE_URL: hotlineDatabase.url,
      KAFKA_BROKERS: kafka,
      JWT_PUBLIC_KEY: keys.publicPem,
      HOTLINE_EVENTS_TOPIC: hotlineTopic,
      HOTLINE_EVENTS_PARTITIONS: '1',
      DOSSIER_EVENTS_TOPIC: dossierTopic,
      HOTLINE_CONSUMER_GROUP: hotlineGroup,
    });
    reporting = await startReportingProcess({
      DATABASE_URL: reportingDatabase.url,
      KAFKA_BROKERS: kafka,
      JWT_PUBLIC_KEY: keys.publicPem,
      REPORTING_TOPICS: hotlineTopic,
      REPORTING_CONSUMER_GROUP: reportingGroup,
      PIPELINE_SERVICES: `hotline=${hotline.baseUrl}`,
    });
    await waitUntilLive(reporting);
    cityAdmin = await signTestToken(keys.privatePem, {
      roles: ['city-admin'],
      units: [],
      subject: 'ops-city-admin',
    });
    auditor = await signTestToken(keys.privatePem, { roles: ['auditor'], units: [], subject: 'ops-auditor' });

    // The dead letter, as the hotline's consumer leaves one after its handler kept failing.
    const message = toOutgoingMessage(parked);
    const record: IncomingRecord = {
      topic: dossierTopic,
      partition: 0,
      offset: '41',
      key: message.key,
      value: Buffer.from(message.value),
      headers: message.headers ?? {},
      timestamp: String(Date.now()),
    };
    const producer = createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'dlq-ops-test' }).producer();
    await producer.connect();
    await producer.send([
      {
        topic: deadLetterTopicFor(hotlineGroup),
        messages: [deadLetterMessage(hotlineGroup, record, 'handler-failed', 'database unavailable', 5)],
      },
    ]);
    await producer.disconnect();
  }, 180_000);

  afterAll(async () => {
    await hotline?.stop();
    if (reporting && reporting.child.exitCode === null) reporting.child.kill('SIGTERM');
    await reporting?.exited;
    await Promise.all([hotlineDatabase?.drop(), reportingDatabase?.drop()]);
  });

  async function call(
    baseUrl: string,
    path: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${baseUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function hotlineQuery<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: hotlineDatabase.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async function auditRows(databaseUrl: string) {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (
        await client.query<{ actor_subject: string; outcome: string; target_id: string | null }>(
          `SELECT actor_subject, outcome, target_id FROM platform_audit_log
            WHERE action = 'dead-letters.replay' OR action LIKE 'POST %/replay' ORDER BY occurred_at`,
        )
      ).rows;
    } finally {
      await client.end();
    }
  }

  it('shows the hotline group and its dead letter in reporting’s pipeline, owned by the hotline', async () => {
    // The hotline's own ops route: its group, running (so replayable), one dead letter.
    await eventually(
      async () => {
        const own = await call(hotline.baseUrl, '/ops/consumer-groups', auditor);
        expect(own).toEqual({
          status: 200,
          body: {
            service: 'hotline',
            groups: [
              { group: hotlineGroup, topic: deadLetterTopicFor(hotlineGroup), count: 1, replayable: true },
            ],
          },
        });
      },
      { timeoutMs: 60_000 },
    );
    const pipeline = await call(reporting.baseUrl, '/ops/pipeline', auditor);
    expect(pipeline.status).toBe(200);
    expect(pipeline.body.deadLetters).toEqual(
      expect.arrayContaining([
        { group: hotlineGroup, topic: `${hotlineGroup}.dlq`, count: 1, replayable: true, service: 'hotline' },
        expect.objectContaining({ group: reportingGroup, service: 'reporting' }),
      ]),
    );
    const listing = await call(reporting.baseUrl, `/ops/dead-letters/${hotlineGroup}`, auditor);
    expect(listing.status).toBe(200);
    expect(listing.body).toMatchObject({
      group: hotlineGroup,
      service: 'hotline',
      count: 1,
      replayable: true,
    });
    expect(listing.body.deadLetters).toEqual([
      expect.objectContaining({
        offset: '0',
        eventId: parked.id,
        eventType: 'calendar.official-year-set.v1',
        reason: 'handler-failed',
        originalTopic: dossierTopic,
        originalOffset: '41',
      }),
    ]);
    expect(JSON.stringify(listing.body)).not.toContain('test/2032'); // no payload leaves the service
  });

  it('refuses the replay to an auditor, at reporting and at the hotline', async () => {
    expect(
      (await call(reporting.baseUrl, `/ops/dead-letters/${hotlineGroup}/replay`, auditor, { offsets: ['0'] }))
        .status,
    ).toBe(403);
    expect(
      (
        await call(hotline.baseUrl, `/ops/consumer-groups/${hotlineGroup}/dead-letters/replay`, auditor, {
          offsets: ['0'],
        })
      ).status,
    ).toBe(403);
    expect((await hotlineQuery(`SELECT 1 FROM inbox WHERE event_id = $1`, [parked.id])).length).toBe(0);
  });

  it('replays it by the hotline’s own handler exactly once, audited in both services', async () => {
    const first = await call(reporting.baseUrl, `/ops/dead-letters/${hotlineGroup}/replay`, cityAdmin, {
      offsets: ['0'],
    });
    expect(first).toEqual({
      status: 200,
      body: {
        group: hotlineGroup,
        service: 'hotline',
        results: [{ offset: '0', eventId: parked.id, outcome: 'applied' }],
        missing: [],
      },
    });
    // The hotline's handler applied it: its official calendar now holds 2032 version 2.
    const [snapshot] = await hotlineQuery<{ snapshot: { years: Record<string, { version: number }> } }>(
      `SELECT snapshot FROM official_calendar_snapshot`,
    );
    expect(snapshot?.snapshot.years['2032']?.version).toBe(2);

    const second = await call(reporting.baseUrl, `/ops/dead-letters/${hotlineGroup}/replay`, cityAdmin, {
      offsets: ['0', '7'],
    });
    expect(second.body).toEqual({
      group: hotlineGroup,
      service: 'hotline',
      results: [{ offset: '0', eventId: parked.id, outcome: 'duplicate' }],
      missing: ['7'],
    });
    // Exactly once: one inbox row of the hotline's group for the event.
    expect(await hotlineQuery(`SELECT consumer_group FROM inbox WHERE event_id = $1`, [parked.id])).toEqual([
      { consumer_group: hotlineGroup },
    ]);

    const target = `${deadLetterTopicFor(hotlineGroup)}:0`;
    const replays = (rows: Awaited<ReturnType<typeof auditRows>>) =>
      rows.filter((row) => row.target_id === target && row.outcome === 'succeeded');
    await eventually(async () => {
      expect(replays(await auditRows(hotlineDatabase.url))).toEqual([
        { actor_subject: 'ops-city-admin', outcome: 'succeeded', target_id: target },
        { actor_subject: 'ops-city-admin', outcome: 'succeeded', target_id: target },
      ]);
      expect(replays(await auditRows(reportingDatabase.url))).toEqual([
        { actor_subject: 'ops-city-admin', outcome: 'succeeded', target_id: target },
        { actor_subject: 'ops-city-admin', outcome: 'succeeded', target_id: target },
      ]);
      // The auditor's refused attempt is on record too.
      expect(
        (await auditRows(reportingDatabase.url)).some((row) => row.actor_subject === 'ops-auditor'),
      ).toBe(true);
    });
  });

  it('answers 404 for a group no service of the pipeline has', async () => {
    expect(
      (
        await call(reporting.baseUrl, '/ops/dead-letters/nobody-has-this/replay', cityAdmin, {
          offsets: ['0'],
        })
      ).status,
    ).toBe(404);
  });
});
