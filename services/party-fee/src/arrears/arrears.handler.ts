import { ForbiddenException, Injectable } from '@nestjs/common';
import { type CloudEvent, uuidv7 } from '@backbone/contracts';
import { addToOutbox } from '@backbone/messaging';
import { type AuthenticatedUser, AuditTrail, canAccessUnit, FieldCipher } from '@backbone/platform';
import { DataSource } from 'typeorm';
import { cellScopeCondition, cellScopeOf } from '../cells/cell-scope';
import { PartyFeeConfig } from '../config';
import { memberEvents } from '../members/member-events';
import { arrearsCase, arrearsWindow } from './arrears';

/**
 * The arrears scan: members with three or more unexcused unpaid months in the twelve ending with a
 * month are flagged once for it (`party-member.arrears-flagged.v1`), and appear on their
 * committee's list. Running it again flags nobody twice.
 */
@Injectable()
export class ArrearsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
    private readonly config: PartyFeeConfig,
    private readonly cipher: FieldCipher,
  ) {}

  async scan(asOfPeriod: string, user: AuthenticatedUser, unitCode?: string) {
    if (unitCode ? !canAccessUnit(user, unitCode, 'write') : !user.roles.includes('city-admin'))
      throw new ForbiddenException(
        unitCode ? `You do not serve unit ${unitCode}` : 'Only the city scans every unit at once',
      );
    const { from, to } = arrearsWindow(asOfPeriod);
    const params: unknown[] = [from, to];
    let unitFilter = '';
    if (unitCode) {
      params.push(unitCode);
      unitFilter = `AND c.unit_code = $${params.length}`;
    }
    const rows = (await this.dataSource.query(
      `WITH months AS (
         SELECT a.member_id, a.period,
                coalesce((SELECT j.amount_vnd FROM party_fee_adjustments j WHERE j.assessment_id = a.id
                          ORDER BY j.adjusted_at DESC, j.id DESC LIMIT 1), a.amount_vnd)
                - coalesce((SELECT sum(l.amount_vnd) FROM party_fee_allocations l WHERE l.assessment_id = a.id), 0) AS open,
                EXISTS (SELECT 1 FROM party_fee_exemptions e WHERE e.member_id = a.member_id
                          AND e.from_period <= a.period AND e.to_period >= a.period) AS exempt
           FROM party_fee_assessments a WHERE a.period BETWEEN $1 AND $2)
       SELECT m.id, m.cell_id, c.unit_code, array_agg(x.period) AS periods, array_agg(x.open::text) AS opens,
              array_agg(x.exempt) AS exempts
         FROM months x JOIN party_members m ON m.id = x.member_id JOIN party_cells c ON c.id = m.cell_id
        WHERE x.open > 0 AND NOT x.exempt AND m.status = 'active' ${unitFilter}
        GROUP BY m.id, m.cell_id, c.unit_code HAVING count(*) >= 3`,
      params,
    )) as {
      id: string;
      cell_id: string;
      unit_code: string;
      periods: string[];
      opens: string[];
      exempts: boolean[];
    }[];
    const cases = rows.flatMap((row) => {
      const found = arrearsCase(
        row.periods.map((period, i) => ({ period, openVnd: Number(row.opens[i]), exempt: row.exempts[i]! })),
        asOfPeriod,
      );
      return found ? [{ memberId: row.id, cellId: row.cell_id, unitCode: row.unit_code, ...found }] : [];
    });
    if (cases.length === 0) return { asOfPeriod, flagged: 0 };
    const now = new Date();
    const flagged = await this.dataSource.transaction(async (manager) => {
      const ids = cases.map(() => uuidv7());
      const inserted = (await manager.query(
        `INSERT INTO party_fee_arrears_flags (id, member_id, as_of_period, unpaid_periods, outstanding_vnd, cell_id, unit_code, flagged_at)
         SELECT x.id, x.member_id, $1, string_to_array(x.periods, ','), x.outstanding, x.cell_id, x.unit_code, $2
           FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::bigint[], $7::uuid[], $8::text[])
                AS x(id, member_id, periods, outstanding, cell_id, unit_code)
         ORDER BY x.member_id
         ON CONFLICT (member_id, as_of_period) DO NOTHING RETURNING id, member_id`,
        [
          asOfPeriod,
          now,
          ids,
          cases.map((c) => c.memberId),
          cases.map((c) => c.unpaidPeriods.join(',')),
          cases.map((c) => c.outstandingVnd),
          cases.map((c) => c.cellId),
          cases.map((c) => c.unitCode),
        ],
      )) as { id: string; member_id: string }[];
      if (inserted.length === 0) return 0;
      const result = (await manager.query(
        `UPDATE party_members m SET event_sequence = m.event_sequence + 1
           FROM unnest($1::uuid[]) AS x(id) WHERE m.id = x.id RETURNING m.id, m.event_sequence`,
        [inserted.map((row) => row.member_id)],
      )) as unknown[];
      const sequences = (Array.isArray(result[0]) ? result[0] : result) as {
        id: string;
        event_sequence: number;
      }[];
      const sequenceOf = new Map(sequences.map((row) => [row.id, row.event_sequence]));
      const byMember = new Map(cases.map((c) => [c.memberId, c]));
      const events: CloudEvent[] = inserted.map((row) => {
        const c = byMember.get(row.member_id)!;
        return memberEvents.arrearsFlagged(
          { memberId: c.memberId, unitCode: c.unitCode, sequence: sequenceOf.get(c.memberId)!, at: now },
          { flagId: row.id, asOfPeriod, unpaidPeriods: c.unpaidPeriods, outstandingVnd: c.outstandingVnd },
        );
      });
      await addToOutbox(manager, events, { topic: this.config.PARTY_FEE_EVENTS_TOPIC });
      await this.auditTrail.record(manager, {
        action: 'party-fee.arrears.scan',
        targetType: 'party-fee-period',
        targetId: asOfPeriod,
        ...(unitCode ? { unitCode } : {}),
      });
      return inserted.length;
    });
    return { asOfPeriod, flagged };
  }

  /** The committee's list: flagged members of the caller's cells (names decrypted for the committee). */
  async list(user: AuthenticatedUser, asOfPeriod?: string, unitCode?: string) {
    const params: unknown[] = [];
    const conditions = [cellScopeCondition(cellScopeOf(user), 'c', params)];
    if (asOfPeriod) {
      params.push(asOfPeriod);
      conditions.push(`f.as_of_period = $${params.length}`);
    }
    if (unitCode) {
      params.push(unitCode);
      conditions.push(`f.unit_code = $${params.length}`);
    }
    const rows = (await this.dataSource.query(
      `SELECT f.id, f.member_id, f.as_of_period, f.unpaid_periods, f.outstanding_vnd::text AS outstanding, f.flagged_at,
              c.code AS cell_code, f.unit_code, m.name_cipher, m.card_number_cipher, m.status
         FROM party_fee_arrears_flags f JOIN party_members m ON m.id = f.member_id JOIN party_cells c ON c.id = f.cell_id
        WHERE ${conditions.join(' AND ')} ORDER BY f.unit_code, c.code, f.as_of_period DESC LIMIT 1000`,
      params,
    )) as {
      id: string;
      member_id: string;
      as_of_period: string;
      unpaid_periods: string[];
      outstanding: string;
      flagged_at: Date;
      cell_code: string;
      unit_code: string;
      name_cipher: string;
      card_number_cipher: string;
      status: string;
    }[];
    return {
      members: rows.map((row) => ({
        flagId: row.id,
        memberId: row.member_id,
        name: this.cipher.decrypt(row.name_cipher, 'party_member.name'),
        cardNumber: this.cipher.decrypt(row.card_number_cipher, 'party_member.card_number'),
        status: row.status,
        cellCode: row.cell_code,
        unitCode: row.unit_code,
        asOfPeriod: row.as_of_period,
        unpaidPeriods: row.unpaid_periods,
        outstandingVnd: Number(row.outstanding),
        flaggedAt: new Date(row.flagged_at).toISOString(),
      })),
    };
  }
}
