import { chooseInfrastructure } from './infrastructure-choice';

describe('chooseInfrastructure', () => {
  it('uses KAFKA_BROKERS and DATABASE_URL when set, whatever else is available', () => {
    const env = { KAFKA_BROKERS: 'kafka:9092', DATABASE_URL: 'postgres://db/postgres' };
    expect(chooseInfrastructure({ env, dockerAvailable: true, purpose: 'test' })).toEqual({
      kafka: 'external',
      postgres: 'external',
    });
    expect(chooseInfrastructure({ env, dockerAvailable: false, purpose: 'stack' })).toEqual({
      kafka: 'external',
      postgres: 'external',
    });
  });

  it('starts testcontainers for tests when a Docker engine answers and nothing is configured', () => {
    expect(chooseInfrastructure({ env: {}, dockerAvailable: true, purpose: 'test' })).toEqual({
      kafka: 'testcontainers',
      postgres: 'testcontainers',
    });
  });

  it('uses the Kafka jars and the machine PostgreSQL without Docker', () => {
    expect(chooseInfrastructure({ env: {}, dockerAvailable: false, purpose: 'test' })).toEqual({
      kafka: 'local-jars',
      postgres: 'local-cluster',
    });
  });

  it('never uses containers for the stack itself', () => {
    expect(chooseInfrastructure({ env: {}, dockerAvailable: true, purpose: 'stack' })).toEqual({
      kafka: 'local-jars',
      postgres: 'local-cluster',
    });
  });

  it('mixes sources when only one variable is set, and ignores blank values', () => {
    expect(
      chooseInfrastructure({
        env: { KAFKA_BROKERS: ' ', DATABASE_URL: 'postgres://x/y' },
        dockerAvailable: false,
        purpose: 'test',
      }),
    ).toEqual({ kafka: 'local-jars', postgres: 'external' });
  });
});
