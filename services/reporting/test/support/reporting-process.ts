import { type CloudEvent } from '@backbone/contracts';
import { createKafkaClient, toOutgoingMessage } from '@backbone/messaging';
import { startServiceProcess, testKafkaBrokers, uniqueName } from '@backbone/testing';
import type { ServiceProcess } from '@backbone/testing';

export { freePort } from '@backbone/testing';

/** A service running as its own process (see spawnServiceProcess). */
export type ReportingProcess = ServiceProcess;

/**
 * A service started by path from its sources as its own process, as in production (the tests
 * kill it mid-batch, and reporting must not import another service's code). Fresh platform keys
 * per process; `env` adds or overrides variables. `live`: resolve once `/health/live` answers
 * (stopped again if it never does); otherwise as soon as it is spawned.
 */
export function spawnServiceProcess(
  entry: string,
  env: Record<string, string>,
  live = false,
): Promise<ServiceProcess> {
  return startServiceProcess({
    entry,
    waitUntilLive: live,
    env: {
      // Its audit checkpoints go to a topic of its own (created by the service), not the shared one.
      AUDIT_EVENTS_TOPIC: uniqueName('test_audit_events'),
      ...env,
    },
  });
}

export async function startReportingProcess(env: Record<string, string>): Promise<ReportingProcess> {
  // Reporting stores no personal data, but the platform requires its key material all the same.
  return spawnServiceProcess('services/reporting/src/main.ts', {
    REPORTING_LAG_POLL_MS: '1000',
    ...env,
  });
}

/** Publishes events in order with the messaging lib's idempotent producer (key = subject). */
export async function publishEvents(
  topic: string,
  events: readonly CloudEvent[],
  chunk = 2_000,
): Promise<void> {
  const producer = createKafkaClient({
    brokers: testKafkaBrokers(),
    clientId: 'reporting-test-producer',
  }).producer();
  await producer.connect();
  try {
    for (let i = 0; i < events.length; i += chunk) {
      await producer.send([{ topic, messages: events.slice(i, i + chunk).map(toOutgoingMessage) }]);
    }
  } finally {
    await producer.disconnect();
  }
}
