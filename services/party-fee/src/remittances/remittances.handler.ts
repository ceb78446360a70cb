import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { uuidv7 } from '@backbone/contracts';
import { type AuthenticatedUser, AuditTrail } from '@backbone/platform';
import { DataSource, QueryFailedError } from 'typeorm';
import { PartyCell } from '../cells/cell.entities';
import { cellScopeCondition, cellScopeOf, notFound, scopeCoversCell } from '../cells/cell-scope';
import { ReconciliationHandler } from '../reconciliation/reconciliation.handler';
import { PartyFeeRemittance, PartyFeeRemittanceConfirmation } from './remittance.entities';

/**
 * Remittance: a cell records what it sends its committee for a month — the committee's share, by
 * the month's rule, of what the cell collected (the reconciliation's figure) — once per cell and
 * month; the committee (not the cell) confirms receipt.
 */
@Injectable()
export class RemittancesHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
    private readonly reconciliation: ReconciliationHandler,
  ) {}

  async record(cellId: string, period: string, user: AuthenticatedUser) {
    const cell = await this.dataSource.getRepository(PartyCell).findOneBy({ id: cellId });
    if (!cell || !scopeCoversCell(cellScopeOf(user, 'write'), cell)) throw notFound(`cell ${cellId}`);
    const month = await this.reconciliation.month(period, {
      subject: 'party-fee',
      roles: ['city-admin'],
      unitCodes: [],
    });
    const figures = month.cells.find((c) => c.cellId === cellId)!;
    const remittance = Object.assign(new PartyFeeRemittance(), {
      id: uuidv7(),
      cellId,
      unitCode: cell.unitCode,
      period,
      ruleCode: month.ruleCode,
      collectedVnd: figures.collectedVnd,
      amountVnd: figures.committeeShareVnd,
      recordedAt: new Date(),
      recordedBy: user.subject,
    });
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(PartyFeeRemittance, remittance);
        await this.auditTrail.record(manager, {
          action: 'party-fee.remittance.record',
          targetType: 'party-fee-remittance',
          targetId: remittance.id,
          unitCode: cell.unitCode,
        });
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505')
        throw new ConflictException(`The cell already recorded its remittance for ${period}`);
      throw error;
    }
    return { ...remittance, recordedAt: remittance.recordedAt.toISOString(), confirmed: null };
  }

  async confirm(id: string, note: string, user: AuthenticatedUser) {
    const remittance = await this.dataSource.getRepository(PartyFeeRemittance).findOneBy({ id });
    if (!remittance) throw notFound(`remittance ${id}`);
    const scope = cellScopeOf(user, 'write');
    // The committee of the unit (or the city) confirms; a treasurer cannot confirm their own remittance.
    if (!scope.all && !scope.unitCodes.includes(remittance.unitCode)) {
      if (scope.treasurerSubject) throw new ForbiddenException('Only the committee confirms receipt');
      throw notFound(`remittance ${id}`);
    }
    const confirmation = Object.assign(new PartyFeeRemittanceConfirmation(), {
      remittanceId: id,
      confirmedAt: new Date(),
      confirmedBy: user.subject,
      note,
    });
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(PartyFeeRemittanceConfirmation, confirmation);
        await this.auditTrail.record(manager, {
          action: 'party-fee.remittance.confirm',
          targetType: 'party-fee-remittance',
          targetId: id,
          unitCode: remittance.unitCode,
        });
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505')
        throw new ConflictException('The remittance was already confirmed');
      throw error;
    }
    return {
      remittanceId: id,
      confirmedAt: confirmation.confirmedAt.toISOString(),
      confirmedBy: user.subject,
      note,
    };
  }

  async list(period: string, user: AuthenticatedUser, unitCode?: string) {
    const params: unknown[] = [period];
    const conditions = [cellScopeCondition(cellScopeOf(user), 'c', params), 'r.period = $1'];
    if (unitCode) {
      params.push(unitCode);
      conditions.push(`r.unit_code = $${params.length}`);
    }
    const rows = (await this.dataSource.query(
      `SELECT r.id, r.cell_id AS "cellId", c.code AS "cellCode", r.unit_code AS "unitCode", r.period, r.rule_code AS "ruleCode",
              r.collected_vnd::text AS "collectedVnd", r.amount_vnd::text AS "amountVnd", r.recorded_at AS "recordedAt",
              k.confirmed_at AS "confirmedAt", k.confirmed_by AS "confirmedBy"
         FROM party_fee_remittances r JOIN party_cells c ON c.id = r.cell_id
         LEFT JOIN party_fee_remittance_confirmations k ON k.remittance_id = r.id
        WHERE ${conditions.join(' AND ')} ORDER BY r.unit_code, c.code LIMIT 1000`,
      params,
    )) as Record<string, unknown>[];
    return {
      remittances: rows.map((row) => ({
        ...row,
        collectedVnd: Number(row.collectedVnd),
        amountVnd: Number(row.amountVnd),
      })),
    };
  }
}
