import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Signature tasks, signing sessions (the remote-signing saga) and signers' TOTP factors (ADR 0012). */
export class SigningFlow1796100000000 implements MigrationInterface {
  name = 'SigningFlow1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE signature_tasks (
        id uuid PRIMARY KEY,
        unit_code text NOT NULL,
        dossier_id uuid NOT NULL,
        dossier_code text NOT NULL,
        procedure_code text NOT NULL,
        due_at timestamptz NOT NULL,
        document_sha256 char(64) NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'signed', 'rejected')),
        requested_at timestamptz NOT NULL,
        signature_id uuid,
        closed_at timestamptz,
        source_event_id uuid NOT NULL UNIQUE
      )`);
    // The queue: a unit's open tasks, oldest first.
    await queryRunner.query(
      `CREATE INDEX signature_tasks_queue ON signature_tasks (unit_code, requested_at, id) WHERE status = 'open'`,
    );
    await queryRunner.query(`CREATE INDEX signature_tasks_dossier ON signature_tasks (dossier_id)`);
    await queryRunner.query(`
      CREATE TABLE signing_sessions (
        id uuid PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES signature_tasks (id),
        unit_code text NOT NULL,
        dossier_id uuid NOT NULL,
        dossier_code text NOT NULL,
        signer_id text NOT NULL,
        certificate_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'completed', 'rejected', 'timed-out')),
        document_sha256 char(64) NOT NULL,
        document bytea,
        visible boolean NOT NULL,
        requested_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        signed_document bytea,
        signed_document_sha256 char(64),
        certificate_serial text,
        reason text,
        failed_attempts integer NOT NULL DEFAULT 0,
        event_sequence integer NOT NULL
      )`);
    // One pending session per task at a time.
    await queryRunner.query(
      `CREATE UNIQUE INDEX signing_sessions_one_pending ON signing_sessions (task_id) WHERE status = 'pending'`,
    );
    // The timeout scanner's look-up.
    await queryRunner.query(
      `CREATE INDEX signing_sessions_expiry ON signing_sessions (expires_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX signing_sessions_requested ON signing_sessions (requested_at)`);
    await queryRunner.query(`
      CREATE TABLE signer_second_factors (
        signer_id text PRIMARY KEY,
        secret_cipher text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'active')),
        enrolled_at timestamptz NOT NULL,
        activated_at timestamptz,
        last_used_step bigint
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE signer_second_factors`);
    await queryRunner.query(`DROP TABLE signing_sessions`);
    await queryRunner.query(`DROP TABLE signature_tasks`);
  }
}
