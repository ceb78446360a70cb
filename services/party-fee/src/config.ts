import { PARTY_FEE_EVENTS_TOPIC } from '@backbone/contracts';
import {
  type ConfigProblem,
  EnvInt,
  EnvString,
  PlatformConfig,
  productionKeyProblem,
} from '@backbone/platform';

/** The party-fee service's own variables (the platform's are in libs/platform/ENV.md). */
export class PartyFeeConfig extends PlatformConfig {
  /** Where party-fee events go; tests point it at a topic of their own. */
  @EnvString({
    optional: true,
    pattern: /^[A-Za-z0-9._-]+$/,
    expected: 'a topic name, e.g. party-fee.events.v1',
  })
  PARTY_FEE_EVENTS_TOPIC: string = PARTY_FEE_EVENTS_TOPIC;

  /** Partitions the service creates its topic with when it is missing (infra/kafka/topics.json decides otherwise). */
  @EnvInt({ min: 1, max: 256, optional: true })
  PARTY_FEE_EVENTS_PARTITIONS = 6;

  /**
   * The committee's share (basis points) of what a cell collects under Regulation 01-QĐ/TW, until
   * its guidance is known; 342-QĐ/TW's 30% (3000) meanwhile. The cell keeps the rest.
   */
  @EnvInt({ min: 0, max: 10_000, optional: true })
  PARTY_FEE_01_COMMITTEE_SHARE_BP = 3_000;

  /**
   * The shared secret the national public-service portal signs its payment callbacks with
   * (HMAC-SHA-256, base64, at least 32 bytes). Production refuses the development value.
   */
  @EnvString({
    optional: true,
    pattern: /^[A-Za-z0-9+/]{43,}={0,2}$/,
    expected: 'a base64 key of at least 32 bytes',
  })
  PORTAL_CALLBACK_KEY = DEVELOPMENT_PORTAL_CALLBACK_KEY;

  /** Members assessed per transaction by the monthly batch. */
  @EnvInt({ min: 10, max: 5_000, optional: true })
  PARTY_FEE_ASSESSMENT_CHUNK = 1_000;

  /** Production refuses the development callback key (and anything but 32 random bytes). */
  override crossCheck(): ConfigProblem[] {
    const problems = super.crossCheck();
    if (this.NODE_ENV === 'production') {
      const problem =
        this.PORTAL_CALLBACK_KEY === DEVELOPMENT_PORTAL_CALLBACK_KEY
          ? 'is the published development key'
          : productionKeyProblem(this.PORTAL_CALLBACK_KEY);
      if (problem)
        problems.push({ variable: 'PORTAL_CALLBACK_KEY', expected: `${problem} (openssl rand -base64 32)` });
    }
    return problems;
  }
}

/** Development only: the service refuses to start with it when NODE_ENV=production (main.ts). */
export const DEVELOPMENT_PORTAL_CALLBACK_KEY = 'ZGV2ZWxvcG1lbnQtb25seS1wb3J0YWwtY2FsbGJhY2sta2V5IQ==';
