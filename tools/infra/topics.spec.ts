import { loadTopicDeclarations, validateDeclaration } from './topics';

describe('topic declarations', () => {
  it('declares one events topic per producing service and a dead-letter topic per consumer group', () => {
    const names = loadTopicDeclarations().map((t) => t.name);
    for (const service of ['dossier', 'signing', 'hotline', 'party-fee']) {
      expect(names).toContain(`${service}.events.v1`);
    }
    expect(names).toContain('reporting.dlq');
    expect(new Set(names).size).toBe(names.length);
  });

  it('rejects a declaration with a reason naming the field', () => {
    expect(() =>
      validateDeclaration({ name: 'x', partitions: 0, retentionMs: 1, cleanupPolicy: 'delete' }, 't'),
    ).toThrow(/partitions must be a positive integer/);
    expect(() =>
      validateDeclaration({ name: 'bad name', partitions: 1, retentionMs: 1, cleanupPolicy: 'delete' }, 't'),
    ).toThrow(/name must be a valid Kafka topic name/);
    expect(() =>
      validateDeclaration({ name: 'x', partitions: 1, retentionMs: 1, cleanupPolicy: 'forever' }, 't'),
    ).toThrow(/cleanupPolicy/);
  });
});
