import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { hanoiDayOf } from '@backbone/calendar';
import { uuidv7 } from '@backbone/contracts';
import {
  type AuthenticatedUser,
  AuditTrail,
  insertStatement,
  readForChange,
  runOutsideRequestContext,
  type SqlStatement,
  ValidationProblemException,
  writeChange,
} from '@backbone/platform';
import { DataSource, QueryFailedError } from 'typeorm';
import { PartyCell, PartyCellVersion, PartyCommittee } from './cell.entities';
import { cellScopeCondition, cellScopeOf, notFound, scopeCoversCell } from './cell-scope';
import type { CreateCellDto, CreateCommitteeDto, NewCellVersionDto } from './cells.dto';
import { HANOI_UNIT_CODES } from './hanoi-units';

@Injectable()
export class CellsHandler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
  ) {}

  private assertUnit(unitCode: string, user: AuthenticatedUser): void {
    if (!HANOI_UNIT_CODES.has(unitCode))
      throw new ValidationProblemException([
        { field: 'unitCode', reason: `${unitCode} is not a Hanoi commune or ward` },
      ]);
    // Creating or moving a cell is the committee's (of the unit) or the city's.
    if (!scopeCoversCell(cellScopeOf(user, 'write'), { unitCode, treasurerSubject: null }))
      throw new ForbiddenException(`You do not serve unit ${unitCode}`);
  }

  /** A cell and its first version, created in one transaction with the audit record. */
  async create(input: CreateCellDto, user: AuthenticatedUser): Promise<PartyCell> {
    this.assertUnit(input.unitCode, user);
    const now = new Date();
    const cell = Object.assign(new PartyCell(), {
      id: uuidv7(),
      code: input.code,
      name: input.name,
      unitCode: input.unitCode,
      bankBin: input.bankBin,
      bankAccount: input.bankAccount,
      treasurerSubject: input.treasurerSubject ?? null,
      createdAt: now,
    });
    const version = Object.assign(new PartyCellVersion(), {
      id: uuidv7(),
      cellId: cell.id,
      validFrom: hanoiDayOf(now),
      unitCode: cell.unitCode,
      bankBin: cell.bankBin,
      bankAccount: cell.bankAccount,
      treasurerSubject: cell.treasurerSubject,
      reason: 'created',
      recordedAt: now,
      recordedBy: user.subject,
    });
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(PartyCell, cell);
        await manager.insert(PartyCellVersion, version);
        await this.auditTrail.record(manager, {
          action: 'party-fee.cell.create',
          targetType: 'party-cell',
          targetId: cell.id,
          unitCode: cell.unitCode,
        });
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505')
        throw new ConflictException(`A cell with code ${input.code} exists`);
      throw error;
    }
    return cell;
  }

  /**
   * A new version of a cell (moved to another committee when units are reorganised, a new account,
   * a new treasurer): the cell's row changes through the aggregate write, with the version row and
   * the audit record in the same statement.
   */
  async newVersion(id: string, input: NewCellVersionDto, user: AuthenticatedUser) {
    this.assertUnit(input.unitCode, user);
    // A version records a change that has happened (the row is the cell as it is now): no future ones.
    if (input.validFrom > hanoiDayOf(new Date()))
      throw new ValidationProblemException([
        { field: 'validFrom', reason: 'must not be after today (Asia/Ho_Chi_Minh)' },
      ]);
    // Versions follow each other: a new one starts no earlier than the current one.
    const latest = (await this.dataSource.query(
      `SELECT max(valid_from)::text AS day FROM party_cell_versions WHERE cell_id = $1`,
      [id],
    )) as { day: string | null }[];
    if (latest[0]?.day && input.validFrom < latest[0].day)
      throw new ValidationProblemException([
        { field: 'validFrom', reason: `must not be before the cell's current version (${latest[0].day})` },
      ]);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const { row } = await readForChange(this.dataSource, PartyCell, id);
      if (!row || !scopeCoversCell(cellScopeOf(user, 'write'), row.entity)) throw notFound(`cell ${id}`);
      const cell = row.entity;
      const fromUnit = cell.unitCode;
      Object.assign(cell, {
        unitCode: input.unitCode,
        bankBin: input.bankBin,
        bankAccount: input.bankAccount,
        treasurerSubject: input.treasurerSubject ?? null,
      });
      const version = Object.assign(new PartyCellVersion(), {
        id: uuidv7(),
        cellId: cell.id,
        validFrom: input.validFrom,
        unitCode: input.unitCode,
        bankBin: input.bankBin,
        bankAccount: input.bankAccount,
        treasurerSubject: input.treasurerSubject ?? null,
        reason: input.reason,
        recordedAt: new Date(),
        recordedBy: user.subject,
      });
      const audit = this.auditTrail.prepareRecord({
        action: 'party-fee.cell.change',
        targetType: 'party-cell',
        targetId: cell.id,
        unitCode: fromUnit,
      });
      const alongside: SqlStatement[] = [
        insertStatement(this.dataSource.manager, PartyCellVersion, [version]) as SqlStatement,
        ...audit.statements,
      ];
      if (await writeChange(this.dataSource, PartyCell, row, { alongside })) {
        runOutsideRequestContext(() => audit.committed());
        return { cell, version };
      }
    }
    throw new ConflictException('The cell kept changing; reload it and try again');
  }

  async list(user: AuthenticatedUser, unitCode?: string) {
    const params: unknown[] = [];
    const scope = cellScopeCondition(cellScopeOf(user), 'c', params);
    let where = scope;
    if (unitCode) {
      params.push(unitCode);
      where += ` AND c.unit_code = $${params.length}`;
    }
    const rows = (await this.dataSource.query(
      `SELECT c.id, c.code, c.name, c.unit_code AS "unitCode", c.bank_bin AS "bankBin", c.bank_account AS "bankAccount",
              c.treasurer_subject AS "treasurerSubject",
              (SELECT count(*)::int FROM party_members m WHERE m.cell_id = c.id AND m.status = 'active') AS "activeMembers"
         FROM party_cells c WHERE ${where} ORDER BY c.unit_code, c.code LIMIT 1000`,
      params,
    )) as unknown[];
    return { cells: rows };
  }

  async find(id: string, user: AuthenticatedUser) {
    const cell = await this.dataSource.getRepository(PartyCell).findOneBy({ id });
    if (!cell || !scopeCoversCell(cellScopeOf(user), cell)) throw notFound(`cell ${id}`);
    const versions = await this.dataSource
      .getRepository(PartyCellVersion)
      .find({ where: { cellId: id }, order: { validFrom: 'ASC', recordedAt: 'ASC' } });
    return { ...cell, versions };
  }

  /** A committee (effective-dated by unit code), city admins only. */
  async createCommittee(input: CreateCommitteeDto, user: AuthenticatedUser): Promise<PartyCommittee> {
    this.assertUnit(input.unitCode, user);
    const committee = Object.assign(new PartyCommittee(), { id: uuidv7(), ...input, recordedAt: new Date() });
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(PartyCommittee, committee);
        await this.auditTrail.record(manager, {
          action: 'party-fee.committee.create',
          targetType: 'party-committee',
          targetId: committee.id,
          unitCode: committee.unitCode,
        });
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505')
        throw new ConflictException(`Unit ${input.unitCode} already has a committee from ${input.validFrom}`);
      throw error;
    }
    return committee;
  }

  async committees(unitCode: string | undefined, user: AuthenticatedUser) {
    const rows = await this.dataSource.getRepository(PartyCommittee).find({
      where: unitCode ? { unitCode } : {},
      order: { unitCode: 'ASC', validFrom: 'ASC' },
      take: 1000,
    });
    const scope = cellScopeOf(user);
    return { committees: rows.filter((row) => scope.all || scope.unitCodes.includes(row.unitCode)) };
  }
}
