import { Injectable, Logger } from '@nestjs/common';
import { type CloudEvent, uuidv7 } from '@backbone/contracts';
import { addToOutbox } from '@backbone/messaging';
import { AuditTrail } from '@backbone/platform';
import { DataSource } from 'typeorm';
import { PartyFeeConfig } from '../config';
import {
  assessMonth,
  basisPeriodFor,
  MissingBasisError,
  type MemberCategory,
  ruleFor,
} from '../fee-rules/fee-rules';
import { FeeRuleTable } from '../fee-rules/fee-rule-table';
import { assessmentInputFor, type BasisRecord, type ExemptionRecord } from '../fee-rules/member-month';
import { memberEvents } from '../members/member-events';
import { PaymentRecorder } from '../payments/record-payment';

export interface AssessmentRunResult {
  period: string;
  ruleCode: string;
  /** Assessments this run created (0 when the month was already assessed). */
  created: number;
  /** Members whose fee could not be computed (no basis recorded), at most 100 listed. */
  skipped: { memberId: string; reason: string }[];
  skippedCount: number;
  /** Members whose carried credit paid the new month. */
  creditApplied: number;
}

interface ChunkMember {
  id: string;
  category: MemberCategory;
  past_working_age: boolean;
  voluntary_vnd: string | null;
  cell_id: string;
  unit_code: string;
}

/**
 * The monthly assessment: one assessment per active member per month. Safe to run twice and on
 * several instances at once: each chunk of members is inserted with ON CONFLICT (member, month) DO
 * NOTHING, and only the rows this run inserted get their event and advance their member's event
 * sequence, in the same transaction (so a second run creates nothing and publishes nothing).
 * Members carrying credit then have it applied to the new month through the member write path.
 */
@Injectable()
export class AssessmentBatch {
  private readonly logger = new Logger(AssessmentBatch.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
    private readonly config: PartyFeeConfig,
    private readonly feeRules: FeeRuleTable,
    private readonly payments: PaymentRecorder,
  ) {}

  async run(period: string, unitCode?: string): Promise<AssessmentRunResult> {
    const rules = this.feeRules.rules;
    const rule = ruleFor(period, rules);
    const basisPeriod = basisPeriodFor(period, rules);
    const result: AssessmentRunResult = {
      period,
      ruleCode: rule.code,
      created: 0,
      skipped: [],
      skippedCount: 0,
      creditApplied: 0,
    };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const params: unknown[] = [period, after, this.config.PARTY_FEE_ASSESSMENT_CHUNK];
      let unitFilter = '';
      if (unitCode) {
        params.push(unitCode);
        unitFilter = `AND c.unit_code = $${params.length}`;
      }
      const members = (await this.dataSource.query(
        `SELECT m.id, m.category, m.past_working_age, m.voluntary_vnd::text AS voluntary_vnd, m.cell_id, c.unit_code
           FROM party_members m JOIN party_cells c ON c.id = m.cell_id
          WHERE m.id > $2 AND m.status = 'active' AND m.fees_from_period <= $1 ${unitFilter}
          ORDER BY m.id LIMIT $3`,
        params,
      )) as ChunkMember[];
      if (members.length === 0) break;
      after = members.at(-1)!.id;
      const created = await this.assessChunk(members, period, basisPeriod, result);
      result.created += created.length;
      result.creditApplied += await this.applyCredit(created);
    }
    this.logger.log({ msg: 'assessment run', period, created: result.created, skipped: result.skippedCount });
    return result;
  }

  /** One transaction: the chunk's new assessments, their events and the members' sequences. */
  private async assessChunk(
    members: ChunkMember[],
    period: string,
    basisPeriod: string,
    result: AssessmentRunResult,
  ): Promise<string[]> {
    const rules = this.feeRules.rules;
    const ids = members.map((m) => m.id);
    const [basisRows, exemptionRows, existing] = await Promise.all([
      this.dataSource.query(
        `SELECT member_id, from_period, kind, amount_vnd::text AS amount_vnd, leave, recorded_at
           FROM party_member_bases WHERE member_id = ANY($1::uuid[]) AND from_period <= $2`,
        [ids, basisPeriod],
      ) as Promise<
        {
          member_id: string;
          from_period: string;
          kind: BasisRecord['kind'];
          amount_vnd: string;
          leave: BasisRecord['leave'];
          recorded_at: Date;
        }[]
      >,
      this.dataSource.query(
        `SELECT member_id, from_period, to_period FROM party_fee_exemptions
          WHERE member_id = ANY($1::uuid[]) AND from_period <= $2 AND to_period >= $2`,
        [ids, period],
      ) as Promise<{ member_id: string; from_period: string; to_period: string }[]>,
      this.dataSource.query(
        `SELECT member_id FROM party_fee_assessments WHERE member_id = ANY($1::uuid[]) AND period = $2`,
        [ids, period],
      ) as Promise<{ member_id: string }[]>,
    ]);
    const bases = groupBy(
      basisRows,
      (row) => row.member_id,
      (row): BasisRecord => ({
        fromPeriod: row.from_period,
        kind: row.kind,
        amountVnd: Number(row.amount_vnd),
        leave: row.leave,
        recordedAt: new Date(row.recorded_at),
      }),
    );
    const exemptions = groupBy(
      exemptionRows,
      (row) => row.member_id,
      (row): ExemptionRecord => ({ fromPeriod: row.from_period, toPeriod: row.to_period }),
    );
    const assessed = new Set(existing.map((row) => row.member_id));

    const now = new Date();
    const rows: {
      id: string;
      memberId: string;
      cellId: string;
      unitCode: string;
      ruleCode: string;
      basisVnd: number;
      amountVnd: number;
    }[] = [];
    for (const member of members) {
      if (assessed.has(member.id)) continue;
      try {
        const assessment = assessMonth(
          assessmentInputFor(
            {
              category: member.category,
              pastWorkingAge: member.past_working_age,
              voluntaryVnd: member.voluntary_vnd === null ? null : Number(member.voluntary_vnd),
            },
            period,
            bases.get(member.id) ?? [],
            exemptions.get(member.id) ?? [],
            rules,
          ),
          rules,
        );
        rows.push({
          id: uuidv7(),
          memberId: member.id,
          cellId: member.cell_id,
          unitCode: member.unit_code,
          ruleCode: assessment.ruleCode,
          basisVnd: assessment.basisVnd,
          amountVnd: assessment.amountVnd,
        });
      } catch (error) {
        if (!(error instanceof MissingBasisError)) throw error;
        result.skippedCount += 1;
        if (result.skipped.length < 100) result.skipped.push({ memberId: member.id, reason: error.message });
      }
    }
    if (rows.length === 0) return [];

    return this.dataSource.transaction(async (manager) => {
      const inserted = (await manager.query(
        `INSERT INTO party_fee_assessments (id, member_id, period, cell_id, unit_code, rule_code, basis_vnd, amount_vnd, assessed_at)
         SELECT x.id, x.member_id, $1, x.cell_id, x.unit_code, x.rule_code, x.basis_vnd, x.amount_vnd, $2
           FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::bigint[], $9::bigint[])
                AS x(id, member_id, cell_id, unit_code, rule_code, basis_vnd, amount_vnd)
         ORDER BY x.member_id
         ON CONFLICT (member_id, period) DO NOTHING
         RETURNING id`,
        [
          period,
          now,
          rows.map((r) => r.id),
          rows.map((r) => r.memberId),
          rows.map((r) => r.cellId),
          rows.map((r) => r.unitCode),
          rows.map((r) => r.ruleCode),
          rows.map((r) => r.basisVnd),
          rows.map((r) => r.amountVnd),
        ],
      )) as { id: string }[];
      if (inserted.length === 0) return [];
      const insertedIds = new Set(inserted.map((row) => row.id));
      const mine = rows.filter((row) => insertedIds.has(row.id));
      const sequences = (await manager.query(
        `UPDATE party_members m SET event_sequence = m.event_sequence + 1
           FROM unnest($1::uuid[]) AS x(id) WHERE m.id = x.id RETURNING m.id, m.event_sequence`,
        [mine.map((row) => row.memberId)],
      )) as [{ id: string; event_sequence: number }[], number] | { id: string; event_sequence: number }[];
      const sequenceRows = Array.isArray(sequences[0])
        ? (sequences[0] as { id: string; event_sequence: number }[])
        : (sequences as { id: string; event_sequence: number }[]);
      const sequenceOf = new Map(sequenceRows.map((row) => [row.id, row.event_sequence]));
      const events: CloudEvent[] = mine.map((row) =>
        memberEvents.assessed(
          {
            memberId: row.memberId,
            unitCode: row.unitCode,
            sequence: sequenceOf.get(row.memberId)!,
            at: now,
          },
          { assessmentId: row.id, period, amountVnd: row.amountVnd, ruleCode: row.ruleCode },
        ),
      );
      await addToOutbox(manager, events, { topic: this.config.PARTY_FEE_EVENTS_TOPIC });
      await this.auditTrail.record(manager, {
        action: 'party-fee.assessment.run',
        targetType: 'party-fee-period',
        targetId: period,
      });
      return mine.map((row) => row.memberId);
    });
  }

  /** Carried credit meets the new month (each member through its own write path). */
  private async applyCredit(memberIds: string[]): Promise<number> {
    if (memberIds.length === 0) return 0;
    const withCredit = (await this.dataSource.query(
      `SELECT id FROM party_members WHERE id = ANY($1::uuid[]) AND credit_vnd > 0`,
      [memberIds],
    )) as { id: string }[];
    let applied = 0;
    for (const { id } of withCredit) if (await this.payments.applyCredit(id)) applied += 1;
    return applied;
  }
}

function groupBy<R, V>(rows: readonly R[], key: (row: R) => string, value: (row: R) => V): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(value(row));
    else map.set(key(row), [value(row)]);
  }
  return map;
}
