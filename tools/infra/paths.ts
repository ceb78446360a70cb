import { resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const kafkaInfraDir = resolve(repoRoot, 'infra', 'kafka');
export const postgresInfraDir = resolve(repoRoot, 'infra', 'postgres');
