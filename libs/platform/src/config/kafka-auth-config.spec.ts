import { platformTestEnv } from '../testing/platform-test-env';
import { ConfigError, loadConfig } from './load-config';
import { PlatformConfig } from './platform-config';

describe('Kafka authentication settings', () => {
  it('default to no authentication, so that a local PLAINTEXT broker needs nothing', () => {
    const config = loadConfig(PlatformConfig, platformTestEnv());
    expect(config.KAFKA_AUTH).toBe('none');
    expect(config.KAFKA_SASL_USERNAME).toBeUndefined();
  });

  it('refuse to start with KAFKA_AUTH=scram but no principal credentials, without echoing the password', () => {
    let error: unknown;
    try {
      loadConfig(
        PlatformConfig,
        platformTestEnv({ KAFKA_AUTH: 'scram', KAFKA_SASL_PASSWORD: 's3cret-value' }),
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { variable: 'KAFKA_SASL_USERNAME', expected: expect.stringMatching(/required when KAFKA_AUTH=scram/) },
    ]);
    expect((error as ConfigError).message).not.toContain('s3cret-value');
  });

  it('accept a principal and its password, and reject an unknown mode', () => {
    const config = loadConfig(
      PlatformConfig,
      platformTestEnv({ KAFKA_AUTH: 'scram', KAFKA_SASL_USERNAME: 'dossier', KAFKA_SASL_PASSWORD: 'pw' }),
    );
    expect(config.KAFKA_AUTH).toBe('scram');
    expect(() => loadConfig(PlatformConfig, platformTestEnv({ KAFKA_AUTH: 'plain' }))).toThrow(
      /KAFKA_AUTH: must be one of: none, scram/,
    );
  });
});
