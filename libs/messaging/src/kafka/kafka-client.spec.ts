import { keyPartition, PartialAcknowledgementError, unacknowledgedPartitions } from './kafka-client';

describe('unacknowledgedPartitions', () => {
  const keys = Array.from({ length: 40 }, (_, i) => `dossier-${i}`);
  const batch = [
    { topic: 'dossier.events.v1', messages: keys.map((key) => ({ key, value: '{}' })) },
    { topic: 'audit.events.v1', messages: [{ key: null, value: '{}' }] },
  ];
  const counts = (topic: string) => (topic === 'dossier.events.v1' ? 12 : undefined);
  const partitionsOf = (sent: string[]) =>
    [...new Set(sent.map((key) => keyPartition(key, 12)))].sort((a, b) => a - b);

  it('spreads keys over the partitions as the default partitioner does, within range', () => {
    const partitions = partitionsOf(keys);
    expect(partitions.length).toBeGreaterThan(6);
    expect(partitions.every((p) => p >= 0 && p < 12)).toBe(true);
    expect(keys.map((key) => keyPartition(key, 12))).toEqual(keys.map((key) => keyPartition(key, 12)));
  });

  it('is empty when the answer names every partition the keys go to', () => {
    const acknowledged = partitionsOf(keys).map((partition) => ({
      topicName: 'dossier.events.v1',
      partition,
    }));
    expect(unacknowledgedPartitions(batch, acknowledged, counts)).toEqual([]);
  });

  it("names the partitions a retry skipped (a dead leader's, moved to a broker that had answered)", () => {
    const all = partitionsOf(keys);
    const [skipped, ...answered] = all;
    const acknowledged = answered.map((partition) => ({ topicName: 'dossier.events.v1', partition }));
    expect(unacknowledgedPartitions(batch, acknowledged, counts)).toEqual([`dossier.events.v1:${skipped}`]);
    expect(new PartialAcknowledgementError([`dossier.events.v1:${skipped}`]).message).toContain(
      `without dossier.events.v1:${skipped}`,
    );
  });

  it('checks nothing it cannot know: a topic never partitioned yet, a message without a key', () => {
    expect(unacknowledgedPartitions(batch, [], () => undefined)).toEqual([]);
    expect(unacknowledgedPartitions([batch[1]], [], () => 3)).toEqual([]);
  });
});
