import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { mustDiscardConnection } from './transient-error';

/** TypeORM's PostgreSQL query runner: releasing with an error makes pg-pool close the connection. */
interface DiscardableQueryRunner extends QueryRunner {
  releasePostgresConnection?(error?: unknown): Promise<void>;
}

/**
 * `dataSource.transaction(work)`, except that a connection the failure left suspect is closed
 * instead of going back to the pool (see `mustDiscardConnection`). Without this, a pool connected
 * to a server that turned into a standby keeps its read-only sessions after the failover, and a
 * retry loop would get 25006 from them for as long as they live.
 */
export async function transactionOnHealthyConnection<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const queryRunner: DiscardableQueryRunner = dataSource.createQueryRunner();
  let failure: unknown;
  try {
    await queryRunner.connect();
    await queryRunner.startTransaction();
    const result = await work(queryRunner.manager);
    await queryRunner.commitTransaction();
    return result;
  } catch (error) {
    failure = error;
    // A rollback on a dead connection fails too; the original error is the one worth reporting.
    if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    if (failure !== undefined && mustDiscardConnection(failure) && queryRunner.releasePostgresConnection)
      await queryRunner.releasePostgresConnection(failure);
    else await queryRunner.release();
  }
}
