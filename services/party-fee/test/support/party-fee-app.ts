import { randomUUID } from 'node:crypto';
import { uniqueName } from '@backbone/testing';
import { type ServiceTestApp, startServiceTestApp } from '@backbone/testing/service-app';
import { AppModule } from '../../src/app.module';
import { PartyFeeConfig } from '../../src/config';

export type PartyFeeTestApp = ServiceTestApp<PartyFeeConfig> & {
  topic: string;
  /** A request as JSON; `key` sends an Idempotency-Key. */
  call(
    method: 'GET' | 'POST',
    url: string,
    token: string,
    body?: unknown,
    key?: string,
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test answers are read field by field
};

/** The party-fee service on a fresh database and topic, the national portal as a service client. */
export async function startPartyFee(env: Record<string, string> = {}): Promise<PartyFeeTestApp> {
  const topic = uniqueName('test_party_fee_events');
  const t = await startServiceTestApp({
    serviceName: 'party-fee',
    configSchema: PartyFeeConfig,
    module: (config) => AppModule.forRoot(config),
    topics: [{ topic, numPartitions: 3 }],
    env: {
      PARTY_FEE_EVENTS_TOPIC: topic,
      PARTY_FEE_EVENTS_PARTITIONS: '3',
      SERVICE_CLIENTS: 'national-portal:party-fee.payment.portal+party-fee.stats.read',
      ...env,
    },
  });
  return Object.assign(t, {
    topic,
    async call(method: 'GET' | 'POST', url: string, token: string, body?: unknown, key?: string) {
      const response = await t.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(key ? { 'idempotency-key': key } : {}),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      });
      const text = response.body;
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* CSV and other text answers stay text */
      }
      return {
        status: response.statusCode,
        body: parsed as never,
        headers: response.headers as Record<string, unknown>,
      };
    },
  });
}

export const newKey = () => randomUUID();
