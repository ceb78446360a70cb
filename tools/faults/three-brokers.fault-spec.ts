import { resolve } from 'node:path';
import { BrokerCluster } from './support/brokers';
import { busiestPartitionLeader, sleep } from './support/faults';
import { FaultSuite, profile, type ScenarioDefinition } from './support/suite';

/**
 * The fault suite on a three-node KRaft cluster (KAFKA_NODES=3: RF 3, min.insync.replicas=2,
 * producers acks=all and idempotent): a node may die without an acknowledged event being lost.
 * Its own PostgreSQL and cluster on ports of its own.
 */
const basePort = Number(process.env.FAULTS_CLUSTER_BASE_PORT ?? 25_500);
const suite = new FaultSuite('three-brokers', basePort);
const ms = (seconds: number) => seconds * 1000;
const cluster = () => suite.broker as BrokerCluster;

const scenarios: ScenarioDefinition[] = [
  {
    name: 'leader-kill',
    fault: 'leader of the busiest dossier partition kill -9 mid-load (3 brokers)',
    inject: async (context) => {
      await context.at(ms(profile.durationS) / 2);
      const topic = context.stack.topics.get('dossier.events.v1')!;
      const { partition, leader } = await busiestPartitionLeader(context.stack, topic);
      context.note(`partition ${partition}'s leader, node ${leader} (pid ${cluster().kill(leader)}), killed`);
      // The clients must move to the new leader while the node is away.
      await sleep(3_000);
      const admin = await context.stack.kafkaAdmin();
      let newLeader = leader;
      for (let i = 0; i < 30 && newLeader === leader; i += 1) {
        await sleep(1_000);
        const metadata = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
        newLeader =
          metadata?.topics[0]?.partitions.find((p) => p.partitionId === partition)?.leader ?? leader;
      }
      context.note(`new leader: node ${newLeader}`);
      if (newLeader === leader) throw new Error(`partition ${partition} found no new leader in 30 s`);
      await sleep(5_000);
      await cluster().restart(leader);
      return { publishInterrupted: true };
    },
  },
  {
    name: 'broker-down',
    fault: `one broker of three down ${profile.brokerDownS} s while the load continues`,
    durationS: Math.max(profile.durationS, profile.brokerDownS + 12),
    inject: async (context) => {
      await context.at(6_000);
      const before = context.load.acceptedSoFar();
      context.note(`node 3 (pid ${cluster().kill(3)}) down`);
      await sleep(ms(profile.brokerDownS));
      context.note(`${context.load.acceptedSoFar() - before} writes accepted while it was down`);
      await cluster().restart(3);
      return { publishInterrupted: true };
    },
  },
  {
    name: 'quorum-loses-node',
    fault: 'the KRaft controller quorum loses its active controller (kill -9)',
    inject: async (context) => {
      await context.at(ms(profile.durationS) / 2);
      const leader = await cluster().quorumLeader();
      context.note(`active controller node ${leader} (pid ${cluster().kill(leader)}) killed`);
      let next = leader;
      for (let i = 0; i < 20 && next === leader; i += 1) {
        await sleep(1_500);
        next = await cluster()
          .quorumLeader()
          .catch(() => leader);
      }
      context.note(`new active controller: node ${next}`);
      if (next === leader) throw new Error('the quorum elected no new controller within 30 s');
      await cluster().restart(leader);
      return { publishInterrupted: true };
    },
  },
];

const only = process.env.FAULTS_ONLY?.split(',');
const selected = only ? scenarios.filter((s) => only.includes(s.name)) : scenarios;

describe(`fault suite, three brokers (${profile.name}: ${profile.rate}/s for ${profile.durationS} s per scenario)`, () => {
  beforeAll(async () => {
    if (selected.length === 0) return;
    await suite.startPostgres();
    const brokers = new BrokerCluster(basePort + 10, resolve(suite.workRoot, 'kafka'));
    suite.broker = brokers;
    await brokers.start();
  }, 400_000);

  afterAll(async () => {
    await suite.stop();
  }, 120_000);

  if (selected.length === 0) it.skip('no scenario selected (FAULTS_ONLY)', () => undefined);
  else
    it.each(selected.map((s) => [s.fault, s] as const))('%s', async (_fault, scenario) => {
      const result = await suite.run(scenario);
      expect(result.problems).toEqual([]);
      expect(result.lost).toBe(0);
      expect(result.appliedTwice).toBe(0);
      expect(result.timeToCatchUpSeconds).not.toBeNull();
    });
});
