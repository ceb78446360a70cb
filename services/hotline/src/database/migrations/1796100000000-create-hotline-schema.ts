import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hotline's tables: calls, reports with their history, app accounts, the managed taxonomy and
 * handling limits (effective-dated, seeded), the official calendar snapshot and the CDR import log.
 */
export class CreateHotlineSchema1796100000000 implements MigrationInterface {
  name = 'CreateHotlineSchema1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE calls (
        id uuid PRIMARY KEY,
        pbx_unique_id text NOT NULL UNIQUE,
        line text NOT NULL,
        caller_number_cipher text,
        caller_number_index text,
        caller_pseudonym text NOT NULL,
        started_at timestamptz NOT NULL,
        answered_at timestamptz,
        ended_at timestamptz,
        duration_seconds integer,
        billable_seconds integer,
        queue text,
        agent text,
        disposition text,
        outcome text,
        inquiry_category text,
        inquiry_answer text,
        inquiry_answered_at timestamptz,
        inquiry_answered_by text,
        report_id uuid,
        source text NOT NULL,
        unit_code text NOT NULL,
        version integer NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX calls_started_at ON calls (started_at)`);
    await queryRunner.query(`CREATE INDEX calls_caller_number_index ON calls (caller_number_index)`);

    await queryRunner.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY,
        public_token uuid NOT NULL UNIQUE,
        channel text NOT NULL,
        category_code text NOT NULL,
        category text NOT NULL,
        level text NOT NULL,
        status text NOT NULL,
        unit_code text NOT NULL,
        routed_by text NOT NULL,
        description text NOT NULL,
        location_address text,
        location_normalised text,
        lat double precision,
        long double precision,
        media jsonb NOT NULL DEFAULT '[]',
        reporter_name_cipher text,
        reporter_phone_cipher text,
        reporter_phone_index text,
        reporter_email_cipher text,
        reporter_pseudonym text NOT NULL,
        app_account_id uuid,
        call_id uuid,
        duplicate_of uuid REFERENCES reports (id),
        submitted_at timestamptz NOT NULL,
        acceptance_clock_started_at timestamptz NOT NULL,
        acceptance_due_at timestamptz,
        accepted_at timestamptz,
        handling_due_at timestamptz,
        assignee text,
        answer_text text,
        answered_at timestamptz,
        closed_at timestamptz,
        rating smallint,
        rejection_reason text,
        reopen_count smallint NOT NULL DEFAULT 0,
        escalated boolean NOT NULL DEFAULT false,
        acceptance_overdue_notified_for timestamptz,
        handling_overdue_notified_for timestamptz,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX reports_unit_submitted ON reports (unit_code, submitted_at)`);
    await queryRunner.query(`CREATE INDEX reports_submitted_at ON reports (submitted_at)`);
    await queryRunner.query(
      `CREATE INDEX reports_duplicate_of ON reports (duplicate_of) WHERE duplicate_of IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX reports_reporter_phone_index ON reports (reporter_phone_index)`);
    // Duplicate look-up: open reports of a category near a place or at an address.
    await queryRunner.query(
      `CREATE INDEX reports_open_by_category ON reports (category_code, submitted_at)
       WHERE status IN ('received', 'accepted', 'assigned', 'in-progress', 'answered')`,
    );
    // The overdue scan: only reports whose current deadline has not been reported yet.
    await queryRunner.query(
      `CREATE INDEX reports_acceptance_overdue_scan ON reports (acceptance_due_at)
       WHERE status = 'received' AND acceptance_overdue_notified_for IS DISTINCT FROM acceptance_due_at`,
    );
    await queryRunner.query(
      `CREATE INDEX reports_handling_overdue_scan ON reports (handling_due_at)
       WHERE status IN ('accepted', 'assigned', 'in-progress')
         AND handling_overdue_notified_for IS DISTINCT FROM handling_due_at`,
    );

    await queryRunner.query(`
      CREATE TABLE report_history (
        id uuid PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES reports (id),
        sequence integer NOT NULL,
        event_type text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        unit_code text NOT NULL,
        actor_subject text NOT NULL,
        actor_role text NOT NULL,
        at timestamptz NOT NULL,
        within_sla boolean,
        details jsonb NOT NULL DEFAULT '{}',
        UNIQUE (report_id, sequence)
      )`);
    await queryRunner.query(`CREATE INDEX report_history_type_at ON report_history (event_type, at)`);

    await queryRunner.query(`
      CREATE TABLE app_accounts (
        id uuid PRIMARY KEY,
        identity_index text NOT NULL UNIQUE,
        phone_cipher text,
        email_cipher text,
        pseudonym text NOT NULL,
        home_unit_code text,
        unit_code text NOT NULL,
        registered_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX app_accounts_registered_at ON app_accounts (registered_at)`);

    await queryRunner.query(`
      CREATE TABLE report_categories (
        code text NOT NULL,
        valid_from date NOT NULL,
        valid_to date,
        "group" text NOT NULL,
        name_vi text NOT NULL,
        name_en text NOT NULL,
        description text NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (code, valid_from),
        CHECK (valid_to IS NULL OR valid_to > valid_from)
      )`);
    await queryRunner.query(`
      CREATE TABLE report_handling_limits (
        level text NOT NULL CHECK (level IN ('normal', 'complex')),
        valid_from date NOT NULL,
        valid_to date,
        working_hours integer NOT NULL CHECK (working_hours > 0),
        source text NOT NULL,
        changed_by text NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (level, valid_from),
        CHECK (valid_to IS NULL OR valid_to > valid_from)
      )`);
    await queryRunner.query(`
      CREATE TABLE official_calendar_snapshot (
        id smallint PRIMARY KEY,
        snapshot jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE cdr_imports (
        id uuid PRIMARY KEY,
        file_sha256 text NOT NULL,
        rows_read integer NOT NULL,
        calls_added integer NOT NULL,
        calls_completed integer NOT NULL,
        imported_by text NOT NULL,
        imported_at timestamptz NOT NULL
      )`);

    // The taxonomy as the city published it in July 2025 (editable by the city admin from here on).
    const categories: [string, string, string, string][] = [
      ['urban-order', 'urban-order', 'Trật tự đô thị', 'Urban order'],
      [
        'urban-order.sidewalk-encroachment',
        'urban-order',
        'Lấn chiếm vỉa hè, lòng đường',
        'Sidewalk and roadway encroachment',
      ],
      ['environment', 'environment', 'Môi trường', 'Environment'],
      ['environment.waste', 'environment', 'Rác thải, vệ sinh môi trường', 'Waste and sanitation'],
      ['environment.noise', 'environment', 'Tiếng ồn', 'Noise'],
      ['traffic', 'traffic', 'Giao thông', 'Traffic'],
      ['traffic.road-damage', 'traffic', 'Hư hỏng mặt đường', 'Damaged road surface'],
      ['construction', 'construction', 'Xây dựng', 'Construction'],
      ['security', 'security', 'An ninh trật tự', 'Security and public order'],
      [
        'administrative-procedures',
        'administrative-procedures',
        'Thủ tục hành chính',
        'Administrative procedures',
      ],
      ['utilities', 'utilities', 'Điện, nước, chiếu sáng', 'Utilities (power, water, lighting)'],
      ['other', 'other', 'Khác', 'Other'],
    ];
    for (const [code, group, nameVi, nameEn] of categories) {
      await queryRunner.query(
        `INSERT INTO report_categories (code, valid_from, valid_to, "group", name_vi, name_en, description, changed_by, changed_at)
         VALUES ($1, '2025-07-01', NULL, $2, $3, $4, $5, 'migration', now())`,
        [code, group, nameVi, nameEn, `${nameEn} (${nameVi})`],
      );
    }
    const source =
      'Working figure pending the text of Decision 1207/QĐ-UBND (2025): normal 5 working days, complex 10; the city admin replaces it';
    await queryRunner.query(
      `INSERT INTO report_handling_limits (level, valid_from, valid_to, working_hours, source, changed_by, changed_at)
       VALUES ('normal', '2025-07-01', NULL, 40, $1, 'migration', now()),
              ('complex', '2025-07-01', NULL, 80, $1, 'migration', now())`,
      [source],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'cdr_imports',
      'official_calendar_snapshot',
      'report_handling_limits',
      'report_categories',
      'app_accounts',
      'report_history',
      'reports',
      'calls',
    ])
      await queryRunner.query(`DROP TABLE ${table}`);
  }
}
