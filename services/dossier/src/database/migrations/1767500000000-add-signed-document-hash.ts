import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which document a recorded signature is over (issue 11). A signature used to be recorded while
 * the dossier had no result yet, and kept when it was resolved with another document; now it
 * counts only while it is over the result. A signature recorded before this column existed has no
 * document here, so it no longer counts: such a result is returned once the signing service
 * reports a signature over it.
 */
export class AddSignedDocumentHash1767500000000 implements MigrationInterface {
  name = 'AddSignedDocumentHash1767500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dossiers ADD COLUMN signed_document_sha256 text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE dossiers DROP COLUMN signed_document_sha256`);
  }
}
