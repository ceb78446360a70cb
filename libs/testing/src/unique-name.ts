import { randomBytes } from 'node:crypto';

/**
 * A name no other test run uses: topics, consumer groups and databases are unique per run so
 * that concurrent test files (and CI re-runs on the same broker) never see each other's data.
 * Only [a-z0-9_] so the result is valid as a topic, a group id and a PostgreSQL identifier.
 */
export function uniqueName(prefix: string): string {
  const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
  return `${safePrefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}
