import { SIGNING_EVENTS_TOPIC } from '@backbone/contracts';
import { EnvInt, EnvString, PlatformConfig } from '@backbone/platform';

/** The signing service's own variables (the platform's are in libs/platform/ENV.md). */
export class SigningConfig extends PlatformConfig {
  /** Where signing events go; tests point it at a topic of their own. */
  @EnvString({
    optional: true,
    pattern: /^[A-Za-z0-9._-]+$/,
    expected: 'a topic name, e.g. signing.events.v1',
  })
  SIGNING_EVENTS_TOPIC: string = SIGNING_EVENTS_TOPIC;

  /** Partitions the service creates its topic with when it is missing (infra/kafka/topics.json decides otherwise). */
  @EnvInt({ min: 1, max: 256, optional: true })
  SIGNING_EVENTS_PARTITIONS = 6;
}
