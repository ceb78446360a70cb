import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The trust and signature tables: signer certificates, the published CRL, signatures, validation reports. */
export class CreateTrustServices1796007300000 implements MigrationInterface {
  name = 'CreateTrustServices1796007300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE signer_certificates (
        id uuid PRIMARY KEY,
        serial_number text NOT NULL UNIQUE,
        holder_id text NOT NULL,
        unit_code text NOT NULL,
        subject text NOT NULL,
        issuer text NOT NULL,
        not_before timestamptz NOT NULL,
        not_after timestamptz NOT NULL,
        certificate_der bytea NOT NULL,
        key_device text NOT NULL,
        key_handle text NOT NULL,
        key_algorithm text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'revoked')),
        revoked_at timestamptz,
        revocation_reason text,
        revoked_by text,
        issued_by text NOT NULL,
        issued_at timestamptz NOT NULL,
        version int NOT NULL,
        expiry_warned_at timestamptz,
        CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX signer_certificates_holder_unit ON signer_certificates (holder_id, unit_code, not_after DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX signer_certificates_active_expiry ON signer_certificates (not_after) WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX signer_certificates_revoked ON signer_certificates (revoked_at) WHERE status = 'revoked'`,
    );
    await queryRunner.query(`
      CREATE TABLE published_crl (
        id int PRIMARY KEY CHECK (id = 1),
        crl_number bigint NOT NULL,
        this_update timestamptz NOT NULL,
        next_update timestamptz NOT NULL,
        revoked_count int NOT NULL,
        latest_revoked_at timestamptz,
        der bytea NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE signatures (
        id uuid PRIMARY KEY,
        format text NOT NULL,
        level text NOT NULL,
        unit_code text NOT NULL,
        signer_id text NOT NULL,
        certificate_id uuid NOT NULL REFERENCES signer_certificates (id),
        certificate_serial text NOT NULL,
        certificate_subject text NOT NULL,
        certificate_issuer text NOT NULL,
        certificate_chain_pem text NOT NULL,
        revocation_status text NOT NULL,
        revocation_source text NOT NULL,
        revocation_checked_at timestamptz NOT NULL,
        document_sha256 text NOT NULL,
        hash_algorithm text NOT NULL,
        signature_algorithm text NOT NULL,
        signed_document_sha256 text NOT NULL,
        signed_document bytea NOT NULL,
        signed_document_media_type text NOT NULL,
        timestamp_token bytea,
        timestamp_gen_time timestamptz,
        signed_at timestamptz NOT NULL,
        completed_at timestamptz NOT NULL,
        outcome text NOT NULL,
        reference_kind text,
        reference_id text,
        reference_code text
      )`);
    await queryRunner.query(`CREATE INDEX signatures_unit_completed ON signatures (unit_code, completed_at)`);
    await queryRunner.query(`CREATE INDEX signatures_reference ON signatures (reference_id)`);
    await queryRunner.query(
      `CREATE INDEX signatures_signed_document_sha256 ON signatures (signed_document_sha256)`,
    );
    await queryRunner.query(`
      CREATE TABLE validation_reports (
        id uuid PRIMARY KEY,
        unit_code text,
        requested_by text NOT NULL,
        document_sha256 text NOT NULL,
        indication text NOT NULL,
        sub_indication text,
        report jsonb NOT NULL,
        validated_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE validation_reports`);
    await queryRunner.query(`DROP TABLE signatures`);
    await queryRunner.query(`DROP TABLE published_crl`);
    await queryRunner.query(`DROP TABLE signer_certificates`);
  }
}
