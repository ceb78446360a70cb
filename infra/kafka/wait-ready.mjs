// Waits until the broker at <host:port> answers a metadata request (kafkajs admin
// describeCluster), failing fast when the broker process recorded in <pidFile> has died.
// Usage: node wait-ready.mjs <host:port[,host:port...]> [timeoutSeconds] [pidFile]
// KAFKA_EXPECTED_BROKERS (default 1): ready once the metadata lists that many brokers (a cluster).
// With KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD set (KAFKA_AUTH=scram) it authenticates with SCRAM-SHA-512;
// with KAFKA_SSL_CA_FILE set (start.sh with KAFKA_SSL=true) it connects over TLS trusting that CA.
import { readFileSync } from 'node:fs';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const [broker = '127.0.0.1:9092', timeoutArg = '120', pidFile] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutArg) * 1000;
const expectedBrokers = Number(process.env.KAFKA_EXPECTED_BROKERS ?? 1);

function brokerProcessAlive() {
  if (!pidFile) return true;
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 0);
    return true;
  } catch {
    return false;
  }
}

const kafka = new Kafka({
  clientId: 'wait-ready',
  brokers: broker.split(','),
  logLevel: logLevel.NOTHING,
  retry: { retries: 0 },
  connectionTimeout: 1000,
  ...(process.env.KAFKA_SASL_USERNAME
    ? {
        sasl: {
          mechanism: 'scram-sha-512',
          username: process.env.KAFKA_SASL_USERNAME,
          password: process.env.KAFKA_SASL_PASSWORD ?? '',
        },
      }
    : {}),
  ...(process.env.KAFKA_SSL_CA_FILE
    ? { ssl: { ca: [readFileSync(process.env.KAFKA_SSL_CA_FILE, 'utf8')] } }
    : {}),
});

let lastError = 'no answer yet';
while (Date.now() < deadline) {
  if (!brokerProcessAlive()) {
    console.error(`Kafka process (${pidFile}) exited before it became ready.`);
    process.exit(1);
  }
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.disconnect();
    if (cluster.brokers.length >= expectedBrokers) {
      console.log(
        `Kafka ready at ${broker} (cluster ${cluster.clusterId}, controller ${cluster.controller}).`,
      );
      process.exit(0);
    }
    lastError = `${cluster.brokers.length} of ${expectedBrokers} brokers in the metadata`;
  } catch (error) {
    lastError = error instanceof Error ? error.message : String(error);
    await admin.disconnect().catch(() => undefined);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}
console.error(`Kafka at ${broker} did not answer metadata requests within ${timeoutArg} s: ${lastError}`);
process.exit(1);
