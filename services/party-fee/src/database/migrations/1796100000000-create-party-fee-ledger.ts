import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The party-fee schema. Money is bigint VND. Nothing financial is ever updated or deleted: a
 * correction is an adjustment row, a reversal a reversal row, a resolution a resolution row; the
 * only updated rows are the member's (status, cell, carried credit, event sequence; each change
 * leaves a party_member_history row) and a cell's current version (each change leaves a
 * party_cell_versions row).
 *
 * Its own name, not the service kit's sample migration's (CreatePartyFeeSchema1796007275628, which
 * created a sample `items` table and may be recorded in development databases): a database that ran
 * the sample still gets this schema.
 */
export class CreatePartyFeeLedger1796100000000 implements MigrationInterface {
  name = 'CreatePartyFeeLedger1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      // Grassroots committees (đảng ủy xã/phường) by unit code, effective-dated.
      `CREATE TABLE party_committees (
        id uuid PRIMARY KEY,
        unit_code text NOT NULL,
        name text NOT NULL,
        valid_from date NOT NULL,
        recorded_at timestamptz NOT NULL,
        UNIQUE (unit_code, valid_from)
      )`,
      // Party cells (chi bộ): the current version here, every version in party_cell_versions.
      `CREATE TABLE party_cells (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        unit_code text NOT NULL,
        bank_bin text NOT NULL,
        bank_account text NOT NULL,
        treasurer_subject text,
        created_at timestamptz NOT NULL
      )`,
      `CREATE INDEX party_cells_unit_code ON party_cells (unit_code)`,
      `CREATE INDEX party_cells_bank_account ON party_cells (bank_account)`,
      `CREATE INDEX party_cells_treasurer ON party_cells (treasurer_subject)`,
      `CREATE TABLE party_cell_versions (
        id uuid PRIMARY KEY,
        cell_id uuid NOT NULL REFERENCES party_cells (id),
        valid_from date NOT NULL,
        unit_code text NOT NULL,
        bank_bin text NOT NULL,
        bank_account text NOT NULL,
        treasurer_subject text,
        reason text NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_by text NOT NULL
      )`,
      `CREATE INDEX party_cell_versions_cell ON party_cell_versions (cell_id, valid_from)`,
      `CREATE TABLE party_members (
        id uuid PRIMARY KEY,
        card_number_cipher text NOT NULL,
        card_number_index text NOT NULL UNIQUE,
        name_cipher text NOT NULL,
        name_index text NOT NULL,
        cell_id uuid NOT NULL REFERENCES party_cells (id),
        category text NOT NULL,
        past_working_age boolean NOT NULL,
        voluntary_vnd bigint,
        status text NOT NULL,
        fees_from_period text NOT NULL,
        payment_reference text NOT NULL UNIQUE,
        credit_vnd bigint NOT NULL DEFAULT 0,
        event_sequence integer NOT NULL,
        registered_at timestamptz NOT NULL,
        registered_by text NOT NULL
      )`,
      `CREATE INDEX party_members_cell ON party_members (cell_id)`,
      `CREATE INDEX party_members_name_index ON party_members (name_index)`,
      `CREATE TABLE party_member_history (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES party_members (id),
        change text NOT NULL,
        details jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        actor text NOT NULL
      )`,
      `CREATE INDEX party_member_history_member ON party_member_history (member_id, occurred_at)`,
      // The monthly basis, effective from a month; a correction is a newer row for the same month.
      `CREATE TABLE party_member_bases (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES party_members (id),
        from_period text NOT NULL,
        kind text NOT NULL,
        amount_vnd bigint NOT NULL CHECK (amount_vnd >= 0),
        leave text NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_by text NOT NULL
      )`,
      `CREATE INDEX party_member_bases_member ON party_member_bases (member_id, from_period, recorded_at)`,
      `CREATE TABLE party_fee_exemptions (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES party_members (id),
        from_period text NOT NULL,
        to_period text NOT NULL,
        reason text NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_by text NOT NULL,
        CHECK (from_period <= to_period)
      )`,
      `CREATE INDEX party_fee_exemptions_member ON party_fee_exemptions (member_id)`,
      `CREATE TABLE party_fee_assessments (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES party_members (id),
        period text NOT NULL,
        cell_id uuid NOT NULL,
        unit_code text NOT NULL,
        rule_code text NOT NULL,
        basis_vnd bigint NOT NULL,
        amount_vnd bigint NOT NULL CHECK (amount_vnd >= 0),
        assessed_at timestamptz NOT NULL,
        UNIQUE (member_id, period)
      )`,
      `CREATE INDEX party_fee_assessments_cell_period ON party_fee_assessments (cell_id, period)`,
      `CREATE TABLE party_fee_adjustments (
        id uuid PRIMARY KEY,
        assessment_id uuid NOT NULL REFERENCES party_fee_assessments (id),
        member_id uuid NOT NULL,
        period text NOT NULL,
        cell_id uuid NOT NULL,
        unit_code text NOT NULL,
        rule_code text NOT NULL,
        delta_vnd bigint NOT NULL,
        amount_vnd bigint NOT NULL CHECK (amount_vnd >= 0),
        reason text NOT NULL,
        adjusted_at timestamptz NOT NULL,
        adjusted_by text NOT NULL
      )`,
      `CREATE INDEX party_fee_adjustments_assessment ON party_fee_adjustments (assessment_id)`,
      `CREATE INDEX party_fee_adjustments_cell_period ON party_fee_adjustments (cell_id, period)`,
      `CREATE TABLE party_fee_payment_requests (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES party_members (id),
        cell_id uuid NOT NULL,
        reference text NOT NULL UNIQUE,
        amount_vnd bigint NOT NULL CHECK (amount_vnd > 0),
        payload text NOT NULL,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL
      )`,
      `CREATE TABLE party_fee_payments (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES party_members (id),
        cell_id uuid NOT NULL,
        unit_code text NOT NULL,
        amount_vnd bigint NOT NULL CHECK (amount_vnd > 0),
        method text NOT NULL,
        channel text NOT NULL,
        reference text,
        request_id uuid UNIQUE,
        external_id text UNIQUE,
        credited_vnd bigint NOT NULL,
        paid_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_by text NOT NULL,
        receipt_year integer NOT NULL,
        receipt_number integer NOT NULL,
        CONSTRAINT party_fee_payments_receipt UNIQUE (cell_id, receipt_year, receipt_number)
      )`,
      `CREATE INDEX party_fee_payments_member ON party_fee_payments (member_id)`,
      `CREATE INDEX party_fee_payments_reference ON party_fee_payments (reference, amount_vnd)`,
      `CREATE INDEX party_fee_payments_cell_paid ON party_fee_payments (cell_id, paid_at)`,
      // The last receipt number taken per cell and year (numbers are unique; a payment that fails
      // after taking one leaves a gap).
      `CREATE TABLE party_fee_receipt_counters (
        cell_id uuid NOT NULL,
        year integer NOT NULL,
        last_number integer NOT NULL,
        PRIMARY KEY (cell_id, year)
      )`,
      `CREATE TABLE party_fee_reversals (
        id uuid PRIMARY KEY,
        payment_id uuid NOT NULL UNIQUE REFERENCES party_fee_payments (id),
        member_id uuid NOT NULL,
        cell_id uuid NOT NULL,
        unit_code text NOT NULL,
        amount_vnd bigint NOT NULL,
        reason text NOT NULL,
        reversed_at timestamptz NOT NULL,
        reversed_by text NOT NULL
      )`,
      `CREATE INDEX party_fee_reversals_cell ON party_fee_reversals (cell_id, reversed_at)`,
      // Money meeting fees: + a payment or carried credit paying a month, − taken back.
      `CREATE TABLE party_fee_allocations (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL,
        assessment_id uuid NOT NULL REFERENCES party_fee_assessments (id),
        period text NOT NULL,
        cell_id uuid NOT NULL,
        unit_code text NOT NULL,
        amount_vnd bigint NOT NULL,
        source text NOT NULL,
        payment_id uuid,
        created_at timestamptz NOT NULL
      )`,
      `CREATE INDEX party_fee_allocations_member ON party_fee_allocations (member_id, assessment_id)`,
      `CREATE INDEX party_fee_allocations_payment ON party_fee_allocations (payment_id)`,
      `CREATE INDEX party_fee_allocations_cell_period ON party_fee_allocations (cell_id, period)`,
      // Open fees moving with a transferred member, from the old cell to the new.
      `CREATE TABLE party_fee_arrears_moves (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL,
        assessment_id uuid NOT NULL REFERENCES party_fee_assessments (id),
        period text NOT NULL,
        from_cell_id uuid NOT NULL,
        from_unit_code text NOT NULL,
        to_cell_id uuid NOT NULL,
        to_unit_code text NOT NULL,
        amount_vnd bigint NOT NULL,
        moved_at timestamptz NOT NULL
      )`,
      `CREATE INDEX party_fee_arrears_moves_from ON party_fee_arrears_moves (from_cell_id, period)`,
      `CREATE INDEX party_fee_arrears_moves_to ON party_fee_arrears_moves (to_cell_id, period)`,
      `CREATE TABLE party_fee_statements (
        id uuid PRIMARY KEY,
        cell_id uuid NOT NULL,
        account text NOT NULL,
        format text NOT NULL,
        statement_reference text NOT NULL,
        content_sha256 text NOT NULL,
        line_count integer NOT NULL,
        new_line_count integer NOT NULL,
        imported_at timestamptz NOT NULL,
        imported_by text NOT NULL
      )`,
      `CREATE TABLE party_fee_statement_lines (
        id uuid PRIMARY KEY,
        statement_id uuid NOT NULL REFERENCES party_fee_statements (id),
        cell_id uuid NOT NULL,
        account text NOT NULL,
        line_key text NOT NULL,
        booked_on date NOT NULL,
        amount_vnd bigint NOT NULL,
        reference text NOT NULL,
        matched_payment_id uuid,
        outcome text NOT NULL,
        imported_at timestamptz NOT NULL,
        UNIQUE (account, line_key)
      )`,
      `CREATE INDEX party_fee_statement_lines_cell ON party_fee_statement_lines (cell_id, outcome)`,
      `CREATE UNIQUE INDEX party_fee_statement_lines_payment ON party_fee_statement_lines (matched_payment_id)`,
      `CREATE TABLE party_fee_line_resolutions (
        id uuid PRIMARY KEY,
        line_id uuid NOT NULL UNIQUE REFERENCES party_fee_statement_lines (id),
        payment_id uuid,
        note text NOT NULL,
        resolved_at timestamptz NOT NULL,
        resolved_by text NOT NULL
      )`,
      `CREATE TABLE party_fee_arrears_flags (
        id uuid PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES party_members (id),
        as_of_period text NOT NULL,
        unpaid_periods text[] NOT NULL,
        outstanding_vnd bigint NOT NULL,
        cell_id uuid NOT NULL,
        unit_code text NOT NULL,
        flagged_at timestamptz NOT NULL,
        UNIQUE (member_id, as_of_period)
      )`,
      `CREATE INDEX party_fee_arrears_flags_unit ON party_fee_arrears_flags (unit_code, as_of_period)`,
      `CREATE TABLE party_fee_remittances (
        id uuid PRIMARY KEY,
        cell_id uuid NOT NULL REFERENCES party_cells (id),
        unit_code text NOT NULL,
        period text NOT NULL,
        rule_code text NOT NULL,
        collected_vnd bigint NOT NULL,
        amount_vnd bigint NOT NULL,
        recorded_at timestamptz NOT NULL,
        recorded_by text NOT NULL,
        UNIQUE (cell_id, period)
      )`,
      `CREATE TABLE party_fee_remittance_confirmations (
        remittance_id uuid PRIMARY KEY REFERENCES party_fee_remittances (id),
        confirmed_at timestamptz NOT NULL,
        confirmed_by text NOT NULL,
        note text NOT NULL
      )`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'party_fee_remittance_confirmations',
      'party_fee_remittances',
      'party_fee_arrears_flags',
      'party_fee_line_resolutions',
      'party_fee_statement_lines',
      'party_fee_statements',
      'party_fee_arrears_moves',
      'party_fee_allocations',
      'party_fee_reversals',
      'party_fee_receipt_counters',
      'party_fee_payments',
      'party_fee_payment_requests',
      'party_fee_adjustments',
      'party_fee_assessments',
      'party_fee_exemptions',
      'party_member_bases',
      'party_member_history',
      'party_members',
      'party_cell_versions',
      'party_cells',
      'party_committees',
    ])
      await queryRunner.query(`DROP TABLE ${table}`);
  }
}
