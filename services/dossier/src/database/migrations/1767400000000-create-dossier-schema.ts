import type { MigrationInterface, QueryRunner } from 'typeorm';

const ACTIVE = `('received','processing','supplement-requested','awaiting-payment')`;

export class CreateDossierSchema1767400000000 implements MigrationInterface {
  name = 'CreateDossierSchema1767400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE administrative_units (
        code text NOT NULL,
        valid_from date NOT NULL,
        valid_to date,
        name text NOT NULL,
        type text NOT NULL,
        PRIMARY KEY (code, valid_from),
        CHECK (valid_to IS NULL OR valid_to > valid_from)
      )`);
    await queryRunner.query(`
      CREATE TABLE procedures (
        code text NOT NULL,
        valid_from date NOT NULL,
        valid_to date,
        name text NOT NULL,
        field text NOT NULL,
        level text NOT NULL CHECK (level IN ('commune','city')),
        statutory_time jsonb NOT NULL,
        online_level text NOT NULL CHECK (online_level IN ('full','partial','none')),
        fee_vnd bigint NOT NULL CHECK (fee_vnd >= 0),
        requires_signature boolean NOT NULL,
        code_verified boolean NOT NULL,
        PRIMARY KEY (code, valid_from),
        CHECK (valid_to IS NULL OR valid_to > valid_from)
      )`);
    await queryRunner.query(`
      CREATE TABLE calendar_overrides (
        date date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('day-off','working-day')),
        reason text NOT NULL,
        source text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE dossier_code_counter (
        agency_id text NOT NULL,
        local_date date NOT NULL,
        last_sequence integer NOT NULL,
        PRIMARY KEY (agency_id, local_date),
        CHECK (last_sequence BETWEEN 1 AND 9999)
      )`);
    await queryRunner.query(`
      CREATE TABLE dossiers (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE,
        unit_code text NOT NULL,
        procedure_code text NOT NULL,
        procedure_snapshot jsonb NOT NULL,
        calendar_snapshot jsonb NOT NULL,
        channel text NOT NULL CHECK (channel IN ('direct','online','postal','agent')),
        online_level text NOT NULL,
        status text NOT NULL,
        version integer NOT NULL,
        event_sequence integer NOT NULL,
        applicant_name_cipher text NOT NULL,
        applicant_national_id_cipher text NOT NULL,
        applicant_national_id_index char(64) NOT NULL,
        applicant_phone_cipher text,
        applicant_address_cipher text,
        applicant_pseudonym char(64) NOT NULL,
        digitised boolean NOT NULL,
        submitted_at timestamptz,
        received_at timestamptz,
        received_by text,
        due_at timestamptz,
        promised_due_at timestamptz,
        paused_at timestamptz,
        paused_working_minutes integer NOT NULL DEFAULT 0,
        requested_fee_vnd integer,
        paid_at timestamptz,
        resolved_at timestamptz,
        result_document_sha256 text,
        signature_id uuid,
        signature_completed_at timestamptz,
        returned_at timestamptz,
        closed_at timestamptz,
        overdue_notified_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX dossiers_unit_received ON dossiers (unit_code, received_at, id)`);
    await queryRunner.query(`CREATE INDEX dossiers_unit_status ON dossiers (unit_code, status)`);
    await queryRunner.query(`CREATE INDEX dossiers_due ON dossiers (due_at, id)`);
    await queryRunner.query(
      `CREATE INDEX dossiers_resolved ON dossiers (resolved_at) WHERE resolved_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX dossiers_national_id_index ON dossiers (applicant_national_id_index)`,
    );
    // The overdue scan reads only open dossiers not yet reported: a small partial index.
    await queryRunner.query(
      `CREATE INDEX dossiers_overdue_scan ON dossiers (due_at) WHERE overdue_notified_at IS NULL AND status IN ${ACTIVE}`,
    );
    await queryRunner.query(`
      CREATE TABLE dossier_history (
        id uuid PRIMARY KEY,
        dossier_id uuid NOT NULL REFERENCES dossiers (id),
        action text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        reason text,
        actor_subject text NOT NULL,
        actor_role text NOT NULL,
        occurred_at timestamptz NOT NULL,
        version integer NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX dossier_history_dossier ON dossier_history (dossier_id, occurred_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE dossier_attachments (
        id uuid PRIMARY KEY,
        dossier_id uuid NOT NULL REFERENCES dossiers (id),
        name text NOT NULL,
        media_type text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        sha256 char(64) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX dossier_attachments_dossier ON dossier_attachments (dossier_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'dossier_attachments',
      'dossier_history',
      'dossiers',
      'dossier_code_counter',
      'calendar_overrides',
      'procedures',
      'administrative_units',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
