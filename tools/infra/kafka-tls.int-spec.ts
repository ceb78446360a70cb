import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type CloudEvent, loadFixture, uuidv7 } from '@backbone/contracts';
import {
  createKafkaClient,
  type IncomingRecord,
  type KafkaClient,
  kafkaSecurityFromSettings,
  type KafkaSecuritySettings,
  toOutgoingMessage,
} from '@backbone/messaging';
import { loadConfig, PlatformConfig, platformTestEnv } from '@backbone/platform';
import { eventually } from '@backbone/testing';
import { type LocalKafka, startLocalKafka } from './kafka-local';
import { repoRoot } from './paths';
import { applyTopics, loadTopicDeclarations } from './topics';

/**
 * Kafka over TLS (docs/adr/0014), against a real broker started the way `KAFKA_AUTH=scram
 * KAFKA_SSL=true npm start` starts it: SASL_SSL (SCRAM-SHA-512 inside TLS) on 9396 and SSL with a
 * required client certificate on 9398, certificates from a development CA that openssl made in its
 * data folder. Every client here is built as a service builds it: settings (the service's
 * environment) → kafkaSecurityFromSettings → createKafkaClient. Its own broker and data folder, so
 * the shared PLAINTEXT test broker is never touched.
 */
/** Variables as a service's environment holds them. */
type Env = Record<string, string | undefined>;

describe('Kafka over TLS: SCRAM over SASL_SSL, or a client certificate', () => {
  const port = 9396;
  const dataDir = resolve(repoRoot, '.data', `test-kafka-tls-${port}`);
  const scratch = mkdtempSync(join(tmpdir(), 'kafka-tls-test-'));
  let broker: LocalKafka;
  const clients: { disconnect(): Promise<void> }[] = [];

  /**
   * The client a service with these settings builds. `expectRefusal`: one retry, so that a refusal
   * shows at once (the default 8 retries with backoff ride out a busy broker's leader moves).
   */
  const clientFrom = (
    brokers: string,
    settings: KafkaSecuritySettings,
    { expectRefusal = false } = {},
  ): KafkaClient =>
    createKafkaClient({
      brokers: [brokers],
      clientId: `tls-test-${settings.KAFKA_SASL_USERNAME ?? 'certificate'}`,
      logLevel: 'nothing',
      ...(expectRefusal ? { retries: 1 } : {}),
      ...kafkaSecurityFromSettings(settings),
    });
  const scram = (principal: string, password: string): Env => {
    // As Kubernetes hands it over: a mounted Secret file, with the trailing newline files have.
    const passwordFile = join(scratch, `${principal}-${uuidv7()}.password`);
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    return {
      KAFKA_AUTH: 'scram',
      KAFKA_SASL_USERNAME: principal,
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: broker.tls!.caFile,
    };
  };
  const certificate = (principal: string): Env => ({
    KAFKA_AUTH: 'tls',
    KAFKA_SSL_CA_FILE: broker.tls!.caFile,
    KAFKA_SSL_CERT_FILE: broker.tls!.clientCertificate(principal).certFile,
    KAFKA_SSL_KEY_FILE: broker.tls!.clientCertificate(principal).keyFile,
  });
  const fixtureEvent = (type: string): CloudEvent => ({ ...loadFixture(type), id: uuidv7() });
  const password = (principal: string) => broker.credentials!.principals[principal]!;

  /** A CA the cluster never heard of, and a certificate for `dossier` that it signed (openssl, as start.sh). */
  function strangerPki(): { caFile: string; certFile: string; keyFile: string } {
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: scratch, stdio: 'pipe' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    openssl(
      'req',
      '-x509',
      '-new',
      ...ec,
      '-keyout',
      'stranger-ca.key',
      '-subj',
      '/CN=Stranger CA',
      '-days',
      '1',
      '-out',
      'stranger-ca.pem',
    );
    openssl(
      'req',
      '-new',
      ...ec,
      '-keyout',
      'stranger-dossier.key',
      '-subj',
      '/CN=dossier',
      '-out',
      'stranger-dossier.csr',
    );
    openssl(
      'x509',
      '-req',
      '-in',
      'stranger-dossier.csr',
      '-CA',
      'stranger-ca.pem',
      '-CAkey',
      'stranger-ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-out',
      'stranger-dossier.pem',
    );
    return {
      caFile: join(scratch, 'stranger-ca.pem'),
      certFile: join(scratch, 'stranger-dossier.pem'),
      keyFile: join(scratch, 'stranger-dossier.key'),
    };
  }

  beforeAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    broker = await startLocalKafka({ port, dataDir, heap: '256m', auth: 'scram', ssl: true });
    // Topics as the admin, over TLS too (the admin's credentials carry the CA).
    await applyTopics([broker.brokers], loadTopicDeclarations(), broker.credentials!.admin);
  }, 240_000);

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.disconnect().catch(() => undefined)));
  });

  afterAll(async () => {
    await broker?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  it('produces and consumes over TLS with SCRAM, configured as a service is (PlatformConfig → client)', async () => {
    // The dossier service's configuration as production loads it: TLS on, SCRAM, password from a file.
    const config = loadConfig(
      PlatformConfig,
      platformTestEnv({
        ...scram('dossier', password('dossier')),
        KAFKA_BROKERS: broker.brokers,
      }),
    );
    const dossier = clientFrom(broker.brokers, config);
    const producer = dossier.producer();
    clients.push(producer);
    await producer.connect();
    const event = fixtureEvent('dossier.received.v1');
    await producer.send([{ topic: 'dossier.events.v1', messages: [toOutgoingMessage(event)] }]);

    // Reporting reads it as its own principal, in one of its own groups (`reporting.*`).
    const reporting = clientFrom(broker.brokers, scram('reporting', password('reporting')));
    const consumer = reporting.consumer({
      groupId: `reporting.tls-test.${uuidv7()}`,
      topics: ['dossier.events.v1'],
    });
    clients.push(consumer);
    const seen: IncomingRecord[] = [];
    await consumer.connect();
    await consumer.run(async (batch) => {
      seen.push(...batch.records);
      const last = batch.records.at(-1);
      if (last) await batch.commitThrough(last.offset);
    });
    await eventually(
      () =>
        expect(seen.map((record) => (JSON.parse(record.value!.toString('utf8')) as CloudEvent).id)).toContain(
          event.id,
        ),
      { timeoutMs: 60_000 },
    );
  }, 120_000);

  it('authenticates by client certificate alone: its CN is the principal, with that principal’s ACLs', async () => {
    const dossier = clientFrom(broker.tls!.clientCertificateBrokers, certificate('dossier'));
    const producer = dossier.producer();
    clients.push(producer);
    await producer.connect();
    await producer.send([
      { topic: 'dossier.events.v1', messages: [toOutgoingMessage(fixtureEvent('dossier.received.v1'))] },
    ]);
    // Still only the dossier principal: a forged signature event is refused.
    await expect(
      producer.send([
        { topic: 'signing.events.v1', messages: [toOutgoingMessage(fixtureEvent('signature.completed.v1'))] },
      ]),
    ).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
  }, 60_000);

  it('refuses a wrong SCRAM password over TLS, saying so', async () => {
    const impostor = clientFrom(broker.brokers, scram('dossier', password('reporting')), {
      expectRefusal: true,
    });
    const producer = impostor.producer();
    clients.push(producer);
    await expect(producer.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
  }, 60_000);

  it('refuses a broker whose certificate an unknown CA (or no configured CA) signed: the client names the reason', async () => {
    const stranger = strangerPki();
    const trustingStranger = clientFrom(
      broker.brokers,
      {
        ...scram('dossier', password('dossier')),
        KAFKA_SSL_CA_FILE: stranger.caFile,
      },
      { expectRefusal: true },
    );
    const producer = trustingStranger.producer();
    clients.push(producer);
    await expect(producer.connect()).rejects.toThrow(/self-signed certificate in certificate chain/);

    // No CA configured: Node's public roots do not vouch for a private cluster CA either.
    const publicRoots = clientFrom(
      broker.brokers,
      {
        ...scram('dossier', password('dossier')),
        KAFKA_SSL_CA_FILE: undefined,
      },
      { expectRefusal: true },
    );
    const second = publicRoots.producer();
    clients.push(second);
    await expect(second.connect()).rejects.toThrow(/self-signed certificate in certificate chain/);
  }, 120_000);

  it('refuses a client certificate the cluster CA did not sign, and a client without one', async () => {
    const stranger = strangerPki();
    const forged = clientFrom(
      broker.tls!.clientCertificateBrokers,
      {
        ...certificate('dossier'),
        KAFKA_SSL_CERT_FILE: stranger.certFile,
        KAFKA_SSL_KEY_FILE: stranger.keyFile,
      },
      { expectRefusal: true },
    );
    const producer = forged.producer();
    clients.push(producer);
    await expect(producer.connect()).rejects.toThrow(/bad certificate|certificate unknown|unknown ca/i);

    const anonymous = clientFrom(
      broker.tls!.clientCertificateBrokers,
      {
        KAFKA_AUTH: 'none',
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: broker.tls!.caFile,
      },
      { expectRefusal: true },
    );
    const second = anonymous.producer();
    clients.push(second);
    await expect(second.connect()).rejects.toThrow(/bad certificate|certificate required|handshake/i);
  }, 120_000);

  it('the dead-letters CLI, run as an operator runs it, lists over TLS; in production it refuses clear text and the development CA', async () => {
    const cli = async (settings: Env) => {
      try {
        const { stdout } = await promisify(execFile)(
          process.execPath,
          [
            '-r',
            '@swc-node/register',
            'libs/messaging/src/cli/dead-letters.ts',
            'list',
            '--group',
            'reporting',
          ],
          {
            cwd: repoRoot,
            env: {
              ...process.env,
              SWC_NODE_PROJECT: 'tools/tsconfig.json',
              KAFKA_BROKERS: broker.brokers,
              ...settings,
            },
          },
        );
        return { code: 0, stdout, stderr: '' };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string; stderr?: string };
        return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
      }
    };
    const reporting = scram('reporting', password('reporting'));

    const listed = await cli({ ...reporting, NODE_ENV: 'development' });
    expect(listed).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/0 dead letter\(s\) in reporting\.dlq/),
    });

    const clearText = await cli({
      ...reporting,
      NODE_ENV: 'production',
      KAFKA_SSL: 'false',
      KAFKA_SSL_CA_FILE: '',
    });
    expect(clearText.code).toBe(2);
    expect(clearText.stderr).toMatch(/KAFKA_SSL: must be true when NODE_ENV=production/);

    const developmentCa = await cli({ ...reporting, NODE_ENV: 'production' });
    expect(developmentCa.code).toBe(2);
    expect(developmentCa.stderr).toMatch(/KAFKA_SSL_CA_FILE: is the development CA/);
  }, 120_000);
});
