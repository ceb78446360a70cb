import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The result documents of dossiers whose result must be signed (issue 13, ADR 0012): the PDF the
 * specialist uploads (the dossier is resolved with its hash) and the signed PDF the signing service
 * produced (its hash arrives with `signature.completed.v1`), which the citizen downloads.
 */
export class ResultDocuments1767600000000 implements MigrationInterface {
  name = 'ResultDocuments1767600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dossiers ADD COLUMN signed_result_sha256 text`);
    await queryRunner.query(`ALTER TABLE dossiers ADD COLUMN signed_result_stored_at timestamptz`);
    await queryRunner.query(`
      CREATE TABLE dossier_result_documents (
        id uuid PRIMARY KEY,
        dossier_id uuid NOT NULL REFERENCES dossiers (id),
        kind text NOT NULL CHECK (kind IN ('result', 'signed-result')),
        sha256 char(64) NOT NULL,
        media_type text NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        content bytea NOT NULL,
        stored_by text NOT NULL,
        stored_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX dossier_result_documents_lookup ON dossier_result_documents (dossier_id, kind, sha256)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE dossier_result_documents`);
    await queryRunner.query(`ALTER TABLE dossiers DROP COLUMN signed_result_stored_at`);
    await queryRunner.query(`ALTER TABLE dossiers DROP COLUMN signed_result_sha256`);
  }
}
