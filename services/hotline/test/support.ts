import { randomBytes } from 'node:crypto';
import { readTopicUntil, type TopicRecord, uniqueName } from '@backbone/testing';
import { eventsOf, type ServiceTestApp, startServiceTestApp } from '@backbone/testing/service-app';
import type { CloudEvent } from '@backbone/contracts';
import { AppModule } from '../src/app.module';
import { HotlineConfig } from '../src/config';

export const WARD_HOAN_KIEM = '00070';
export const WARD_TAY_HO = '00103';
export const OPEN311_WEB_KEY = `web-${randomBytes(12).toString('hex')}`;

export interface HotlineTestApp {
  t: ServiceTestApp<HotlineConfig>;
  topic: string;
  dossierTopic: string;
}

/** The hotline in the test process on a fresh database, its own topics, the scheduler off. */
export async function startHotline(env: Record<string, string> = {}): Promise<HotlineTestApp> {
  const topic = uniqueName('test_hotline_events');
  const dossierTopic = uniqueName('test_hotline_dossier_events');
  const t = await startServiceTestApp({
    serviceName: 'hotline',
    configSchema: HotlineConfig,
    module: (config) => AppModule.forRoot(config),
    topics: [
      { topic, numPartitions: 3 },
      { topic: dossierTopic, numPartitions: 1 },
    ],
    env: {
      HOTLINE_EVENTS_TOPIC: topic,
      HOTLINE_EVENTS_PARTITIONS: '3',
      DOSSIER_EVENTS_TOPIC: dossierTopic,
      HOTLINE_CONSUMER_GROUP: uniqueName('test_hotline'),
      OVERDUE_SCAN_INTERVAL_MS: '0',
      OPEN311_API_KEYS: `web:${OPEN311_WEB_KEY}`,
      ...env,
    },
    consumesEvents: true,
  });
  return { t, topic, dossierTopic };
}

export interface Reply {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
  json<T = Record<string, unknown>>(): T;
}

export function client(t: ServiceTestApp<HotlineConfig>) {
  const call = async (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    token?: string,
    body?: unknown,
  ): Promise<Reply> => {
    const response = await t.app.inject({
      method,
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined
          ? { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' }
          : {}),
      },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    return response as unknown as Reply;
  };
  return {
    get: (url: string, token?: string) => call('GET', url, token),
    post: (url: string, token: string | undefined, body?: unknown) => call('POST', url, token, body ?? {}),
    put: (url: string, token: string, body: unknown) => call('PUT', url, token, body),
  };
}

/** Every event of the topic with the given subjects, once `done` says enough arrived. */
export async function eventsFor(
  topic: string,
  done: (events: CloudEvent[]) => boolean,
  timeoutMs = 60_000,
): Promise<{ events: CloudEvent[]; records: TopicRecord[] }> {
  const records = await readTopicUntil(
    topic,
    (all) => {
      if (!done(eventsOf(all))) throw new Error('not all events published yet');
    },
    timeoutMs,
  );
  return { events: eventsOf(records), records };
}

export function ofSubject(events: readonly CloudEvent[], subject: string): CloudEvent[] {
  return events
    .filter((event) => event.subject === subject)
    .sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0));
}

let houseNumber = 100;

/** A report body with a fresh house number (no accidental duplicates) and the reporter's contact. */
export const aReport = (overrides: Record<string, unknown> = {}) => ({
  channel: 'ihanoi',
  categoryCode: 'environment.waste',
  description: 'Rác thải tồn đọng nhiều ngày trước cửa nhà số 5',
  location: { address: `Số ${(houseNumber += 1)} Hàng Bạc, P. Hàng Bạc, Q. Hoàn Kiếm, Hà Nội` },
  reporter: { name: 'Nguyễn Văn An', phone: '0912 345 678', email: 'an.nguyen@example.vn' },
  media: [{ name: 'rac.jpg', type: 'image/jpeg', sizeBytes: 182044, sha256: 'a'.repeat(64) }],
  ...overrides,
});
