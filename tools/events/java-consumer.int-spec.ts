import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { CLOUD_EVENTS_CONTENT_TYPE, loadFixture, registeredEventTypes } from '@backbone/contracts';
import { testKafkaBrokers, uniqueName } from '@backbone/testing';
import {
  type EventsTestService,
  publishEveryFixture,
  startEventsTestService,
} from './support/events-test-service';

/*
 * Issue 18: the reference consumer in examples/java-consumer — Apache Kafka's own Java client and
 * networknt's JSON Schema validator, code nobody on this team wrote — reads every `*.events.v1`
 * topic of this run, resolves each record's dataschema over HTTP from the service and validates
 * envelope and data: every record valid, every catalogue type seen. Maven resolves the
 * dependencies into ~/.m2 once; later builds run offline (-o).
 */
const PROJECT = resolve(__dirname, '..', '..', 'examples', 'java-consumer');
const JAR = resolve(PROJECT, 'target', 'events-consumer.jar');

function buildWithMaven(): void {
  const offline = spawnSync('mvn', ['-q', '-o', '-B', 'package'], { cwd: PROJECT, encoding: 'utf8' });
  if (offline.status === 0) return;
  // First run on a machine: resolve the dependencies once (then ~/.m2 holds them).
  const online = spawnSync('mvn', ['-q', '-B', 'package'], { cwd: PROJECT, encoding: 'utf8' });
  if (online.status !== 0) throw new Error(`mvn package failed:\n${online.stdout}\n${online.stderr}`);
}

interface ConsumerRun {
  code: number | null;
  stdout: string;
  stderr: string;
  perType: Map<string, { seen: number; invalid: number }>;
}

function runConsumer(args: string[]): Promise<ConsumerRun> {
  return new Promise((resolveRun, reject) => {
    let stdout = '';
    let stderr = '';
    const child = spawn('java', ['-jar', JAR, ...args], {
      cwd: PROJECT,
      env: { ...process.env, KAFKA_BROKERS: testKafkaBrokers().join(',') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      const perType = new Map<string, { seen: number; invalid: number }>();
      for (const match of stdout.matchAll(/^TYPE (\S+) seen=(\d+) invalid=(\d+)$/gm))
        perType.set(match[1]!, { seen: Number(match[2]), invalid: Number(match[3]) });
      resolveRun({ code, stdout, stderr, perType });
    });
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the Java reference consumer (kafka-clients + networknt json-schema-validator)', () => {
  let events: EventsTestService;

  beforeAll(async () => {
    buildWithMaven();
    events = await startEventsTestService();
    await publishEveryFixture(events);
  }, 600_000);

  afterAll(async () => {
    await events?.close();
  });

  it('reads every *.events.v1 topic: every record valid, every catalogue type seen', async () => {
    const run = await runConsumer([
      '--topic-pattern',
      `${escapeRegExp(events.prefix)}\\..*\\.events\\.v1`,
      '--group',
      uniqueName('test_java_consumer'),
      '--idle-seconds',
      '8',
      '--max-seconds',
      '180',
    ]);
    expect({
      code: run.code,
      stderr: run.code === 0 ? '' : run.stderr,
      stdout: run.code === 0 ? '' : run.stdout,
    }).toEqual({
      code: 0,
      stderr: '',
      stdout: '',
    });
    for (const { metadata } of registeredEventTypes())
      expect({ type: metadata.type, ...run.perType.get(metadata.type) }).toEqual({
        type: metadata.type,
        seen: expect.any(Number) as number,
        invalid: 0,
      });
    for (const [type, counts] of run.perType) {
      expect(counts.seen).toBeGreaterThan(0);
      expect({ type, invalid: counts.invalid }).toEqual({ type, invalid: 0 });
    }
    expect(run.stdout).toMatch(/^TOTAL seen=\d+ invalid=0 /m);
  }, 240_000);

  it('is a real judge: a record with the old relative dataschema or without the structured content type is invalid (exit 1)', async () => {
    const topic = `${events.prefix}_bad.dossier.events.v1`;
    await events.service.kafka.withAdmin((admin) => admin.ensureTopics([{ topic, numPartitions: 1 }]));
    const fixture = loadFixture('dossier.received.v1', events.baseUrl);
    const legacy = { ...fixture, dataschema: 'schemas/dossier.received.v1.json' };
    const producer = events.service.kafka.producer();
    await producer.connect();
    try {
      await producer.send([
        {
          topic,
          messages: [
            {
              key: fixture.subject,
              value: JSON.stringify(legacy),
              headers: {
                'content-type': CLOUD_EVENTS_CONTENT_TYPE,
                ce_type: fixture.type,
                ce_id: fixture.id,
              },
            },
            {
              key: fixture.subject,
              value: JSON.stringify(fixture),
              headers: { 'content-type': 'application/json' },
            },
          ],
        },
      ]);
    } finally {
      await producer.disconnect();
    }
    const run = await runConsumer([
      '--topic-pattern',
      escapeRegExp(topic),
      '--group',
      uniqueName('test_java_consumer_bad'),
      '--idle-seconds',
      '5',
      '--max-seconds',
      '120',
    ]);
    expect(run.code).toBe(1);
    expect(run.perType.get('dossier.received.v1')).toEqual({ seen: 2, invalid: 2 });
    expect(run.stdout).toContain('dataschema is not an absolute URI');
    expect(run.stdout).toContain('content-type header is');
  }, 180_000);
});
