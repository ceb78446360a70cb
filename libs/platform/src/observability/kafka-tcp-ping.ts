import { connect } from 'node:net';
import type { KafkaPing } from './health.controller';

/**
 * The default readiness probe for Kafka when a service passes none: a TCP connection to any
 * configured broker. libs/messaging can pass a real admin request instead.
 */
export function tcpKafkaPing(brokers: string[], timeoutMs = 2_000): KafkaPing {
  return async () => {
    const failures: string[] = [];
    for (const broker of brokers) {
      const separator = broker.lastIndexOf(':');
      const host = broker.slice(0, separator);
      const port = Number(broker.slice(separator + 1));
      try {
        await new Promise<void>((resolve, reject) => {
          const socket = connect({ host, port, timeout: timeoutMs });
          socket.once('connect', () => {
            socket.destroy();
            resolve();
          });
          socket.once('timeout', () => {
            socket.destroy();
            reject(new Error('timeout'));
          });
          socket.once('error', reject);
        });
        return;
      } catch (error) {
        failures.push(`${broker}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    throw new Error(`no Kafka broker reachable (${failures.join('; ')})`);
  };
}
