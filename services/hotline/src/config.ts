import { HOTLINE_EVENTS_TOPIC } from '@backbone/contracts';
import { EnvInt, EnvString, PlatformConfig } from '@backbone/platform';

/** The hotline service's own variables (the platform's are in libs/platform/ENV.md). */
export class HotlineConfig extends PlatformConfig {
  /** Where hotline events go; tests point it at a topic of their own. */
  @EnvString({
    optional: true,
    pattern: /^[A-Za-z0-9._-]+$/,
    expected: 'a topic name, e.g. hotline.events.v1',
  })
  HOTLINE_EVENTS_TOPIC: string = HOTLINE_EVENTS_TOPIC;

  /** Partitions the service creates its topic with when it is missing (infra/kafka/topics.json decides otherwise). */
  @EnvInt({ min: 1, max: 256, optional: true })
  HOTLINE_EVENTS_PARTITIONS = 6;
}
