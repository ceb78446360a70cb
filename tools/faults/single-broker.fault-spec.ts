import { resolve } from 'node:path';
import { discoverServices } from '../stack/services';
import { ProxiedBroker } from './support/brokers';
import {
  killAtTellingMoment,
  publishPoison,
  redeliverOutOfOrder,
  reportingFreshness,
  sleep,
  waitBack,
} from './support/faults';
import { startLoad } from './support/load';
import { FaultSuite, profile, type ScenarioDefinition } from './support/suite';

/**
 * The fault suite on one broker (tools/faults/README.md): every scenario starts the real stack
 * (every discovered service as its own process, own databases, topics and groups), runs the demo
 * load generator through the public APIs, injects its fault, heals it, waits for lag 0 and applies
 * the oracle (support/oracle.ts). Its own PostgreSQL and broker (behind a TCP proxy), on ports of
 * its own: the scenarios restart and kill them.
 */
const basePort = Number(process.env.FAULTS_BASE_PORT ?? 25_400);
const suite = new FaultSuite('single-broker', basePort);
const services = discoverServices().map((s) => s.name);
const ms = (seconds: number) => seconds * 1000;
const mid = () => ms(profile.durationS) / 2;

const scenarios: ScenarioDefinition[] = [];

if (profile.name !== 'ci')
  scenarios.push({
    name: 'baseline',
    fault: 'none (baseline)',
    inject: async () => ({}),
  });

// Each service kill -9 mid-load: one scenario per service, or (CI) all in turn in one.
const killGroups = profile.killEachSeparately ? services.map((s) => [s]) : [services];
for (const group of killGroups)
  scenarios.push({
    name: group.length === 1 ? `kill-${group[0]}` : 'kill-each-service',
    fault:
      group.length === 1
        ? `kill -9 ${group[0]} mid-load`
        : `kill -9 each service in turn (${group.join(', ')})`,
    inject: async (context) => {
      const step = ms(profile.durationS) / 2 / group.length;
      for (const [i, name] of group.entries()) {
        await context.at(ms(profile.durationS) / 4 + i * step);
        context.note(await killAtTellingMoment(context.stack, name));
      }
      for (const name of group) await waitBack(context.stack, name);
      return { publishInterrupted: true };
    },
  });

scenarios.push({
  name: 'consumer-frozen',
  fault: `reporting frozen (SIGSTOP) ${profile.freezeS} s, past its session timeout, then resumed`,
  instances: { reporting: 2 },
  inject: async (context) => {
    await context.at(ms(profile.durationS) / 3);
    const pid = context.stack.signal('reporting', 'SIGSTOP', 0);
    context.note(
      `reporting#1 (pid ${pid}) frozen; reporting#2 takes its partitions after the session timeout`,
    );
    await sleep(ms(profile.freezeS));
    context.stack.signal('reporting', 'SIGCONT', 0);
    context.note('resumed: the zombie commits late');
    return {};
  },
});

scenarios.push({
  name: 'broker-kill',
  fault: 'broker kill -9 mid-load, restarted 10 s later',
  inject: async (context) => {
    await context.at(mid());
    const broker = suite.broker as ProxiedBroker;
    context.note(`broker pid ${broker.kill()} killed`);
    await sleep(10_000);
    await broker.restart();
    return { publishInterrupted: true };
  },
});

scenarios.push({
  name: 'postgres-restart',
  fault: "PostgreSQL restarted under load (the suite's own server, pg_ctl restart -m fast)",
  inject: async (context) => {
    await context.at(mid());
    const started = Date.now();
    await suite.postgres.restart();
    context.note(`restart took ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { publishInterrupted: true };
  },
});

scenarios.push({
  name: 'broker-unreachable',
  fault: `broker unreachable ${profile.outageS} s (proxy drops, then blackholes)`,
  durationS: Math.max(profile.durationS, profile.outageS + 16),
  inject: async (context) => {
    await context.at(8_000);
    const proxy = (suite.broker as ProxiedBroker).proxy;
    const before = context.load.acceptedSoFar();
    proxy.setMode('drop');
    await sleep(ms(profile.outageS) / 2);
    proxy.setMode('blackhole');
    await sleep(ms(profile.outageS) / 2);
    const during = context.load.acceptedSoFar() - before;
    proxy.setMode('pass');
    context.note(`${during} writes accepted while the broker was unreachable`);
    if (during === 0) throw new Error('no write was accepted while the broker was unreachable');
    return { publishInterrupted: true };
  },
});

scenarios.push({
  name: 'rebalance',
  fault: 'two relays and two consumers of each group; one of each leaves and rejoins mid-load',
  instances: Object.fromEntries(services.map((s) => [s, 2])),
  inject: async (context) => {
    await context.at(mid());
    for (const name of services) context.stack.signal(name, 'SIGTERM', 1);
    context.note('SIGTERM to the second process of every service (a graceful leave: rebalance), restarted');
    for (const name of services) await waitBack(context.stack, name);
    return {};
  },
});

scenarios.push({
  name: 'redelivery',
  fault: 'the same events delivered twice and out of order',
  inject: async (context) => {
    await context.at(mid());
    const injected = await redeliverOutOfOrder(context.stack, 30);
    context.note(`${injected.size} events published again twice each, in reverse order`);
    return { injectedCopies: injected };
  },
});

scenarios.push({
  name: 'poison',
  fault: 'a schema-invalid event and one of an unknown type in a busy partition',
  inject: async (context) => {
    await context.at(mid());
    const poison = await publishPoison(context.stack);
    context.note(`poison ${poison.invalid} (invalid data), ${poison.unknown} (unknown type)`);
    return { poisonIds: [poison.invalid, poison.unknown] };
  },
  verify: (context, verdict) => {
    const reasons = Object.values(verdict.deadLetterReasons).sort();
    context.note(`dead-letter reasons: ${reasons.join(', ')}`);
    if (!reasons.includes('unknown-type')) verdict.problems.push('no dead letter says unknown-type');
    if (!reasons.some((r) => r === 'invalid-data' || r === 'invalid-attribute'))
      verdict.problems.push('no dead letter says the data is invalid');
  },
});

{
  let maxLag = 0;
  let sawStale = false;
  scenarios.push({
    name: 'slow-consumer-burst',
    fault: 'slow consumer (1 record per transaction, 1 partition at a time) under a 10x burst',
    serviceEnv: {
      reporting: {
        REPORTING_MAX_RECORDS_PER_TRANSACTION: '1',
        REPORTING_PARTITIONS_CONSUMED_CONCURRENTLY: '1',
        REPORTING_LAG_POLL_MS: '1000',
      },
    },
    inject: async (context) => {
      await context.at(ms(profile.durationS) / 3);
      const sampling = (async () => {
        const until = Date.now() + ms(profile.durationS);
        while (Date.now() < until) {
          const freshness = await reportingFreshness(context.stack).catch(() => undefined);
          if (freshness?.consumerLag) maxLag = Math.max(maxLag, freshness.consumerLag);
          if (freshness && freshness.consumerLag && freshness.consumerLag > 0) sawStale = true;
          await sleep(1_000);
        }
      })();
      const burst = startLoad(context.stack, {
        rate: profile.rate * 10,
        durationS: 5,
        seed: profile.seed + 1,
        acceptedLog: resolve(suite.workRoot, 'slow-consumer-burst', 'accepted.jsonl'),
      });
      const done = await burst.done;
      context.note(
        `burst: ${/filed live: (\d+)/.exec(done.output)?.[1] ?? '?'} dossiers at ${profile.rate * 10}/s`,
      );
      await sampling;
      return {};
    },
    verify: async (context, verdict) => {
      // The API's freshness must say "behind" during the burst and "caught up" once drained.
      let final = await reportingFreshness(context.stack);
      for (let i = 0; i < 15 && final.consumerLag !== 0; i += 1) {
        await sleep(1_000);
        final = await reportingFreshness(context.stack);
      }
      context.note(
        `freshness: lag up to ${maxLag} during the burst; after: lag ${final.consumerLag}, complete up to ${final.completeUpTo}`,
      );
      if (!sawStale) verdict.problems.push('the freshness never showed the burst as lag');
      if (final.consumerLag !== 0)
        verdict.problems.push(`freshness still says lag ${final.consumerLag} after catching up`);
    },
  });
}

const only = process.env.FAULTS_ONLY?.split(',');
const selected = only ? scenarios.filter((s) => only.includes(s.name)) : scenarios;

describe(`fault suite, one broker (${profile.name}: ${profile.rate}/s for ${profile.durationS} s per scenario)`, () => {
  beforeAll(async () => {
    if (selected.length === 0) return;
    await suite.startPostgres();
    const broker = new ProxiedBroker(basePort + 10, basePort + 12, resolve(suite.workRoot, 'kafka'));
    suite.broker = broker;
    await broker.start();
  }, 300_000);

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
