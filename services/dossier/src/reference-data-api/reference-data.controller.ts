import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiTags } from '@nestjs/swagger';
import {
  AuditTrail,
  type AuthenticatedUser,
  CurrentUser,
  Roles,
  ServiceAction,
  ValidationProblemException,
} from '@backbone/platform';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import {
  isSupportedHanoiDay,
  parseLocalDate,
  SUPPORTED_YEARS,
  toVietnamLocal,
  type StatutoryTime,
} from '@backbone/calendar';
import {
  AdministrativeUnitVersion,
  CalendarOverrideRecord,
  ProcedureVersion,
} from '../database/reference-data.entities';
import {
  LOCAL_PROCEDURE_CODE,
  NATIONAL_PROCEDURE_CODE,
  parseProcedureCsv,
  type ProcedureDefinition,
  validateProcedure,
} from '../reference-data';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { returningRows } from '../dossier/returning-rows';
import { OfficialCalendarWriter } from './official-calendar.writer';
import {
  AtDateQuery,
  CalendarOverrideDto,
  CloseUnitDto,
  ImportProceduresDto,
  OverridesQuery,
  ProcedureVersionDto,
  UnitVersionDto,
} from './reference-data.dto';

const STAFF = ['officer', 'unit-head', 'signer', 'city-admin', 'auditor', 'service'] as const;
const UNIT_CODE = /^[A-Z0-9]+(?:[.-][A-Z0-9]+)*$/;

type VersionTable = 'administrative_units' | 'procedures';

/**
 * Opens a version of an effective-dated record from `validFrom`: the version in force then is
 * closed the day the new one starts; a version starting the same day is replaced. Versions before
 * stay as they were, so dossiers received under them keep their history.
 */
async function openVersion(
  manager: EntityManager,
  table: VersionTable,
  code: string,
  validFrom: string,
): Promise<void> {
  const latest: Array<{ valid_from: string }> = await manager.query(
    `SELECT to_char(valid_from, 'YYYY-MM-DD') AS valid_from FROM ${table} WHERE code = $1 ORDER BY valid_from DESC LIMIT 1 FOR UPDATE`,
    [code],
  );
  const last = latest[0]?.valid_from;
  if (last && validFrom < last) {
    throw new ValidationProblemException([
      { field: 'validFrom', reason: `must not be before the latest version's start (${last})` },
    ]);
  }
  if (last === validFrom)
    await manager.query(`DELETE FROM ${table} WHERE code = $1 AND valid_from = $2`, [code, validFrom]);
  await manager.query(
    `UPDATE ${table} SET valid_to = $2 WHERE code = $1 AND valid_from < $2 AND (valid_to IS NULL OR valid_to > $2)`,
    [code, validFrom],
  );
}

function checkDate(value: string, field: string): void {
  // Bounded at the edge: a day past 9999 would sort before 9999 (see @backbone/calendar).
  if (!isSupportedHanoiDay(value))
    throw new ValidationProblemException([
      {
        field,
        reason: `is not a calendar date from ${SUPPORTED_YEARS.min} to ${SUPPORTED_YEARS.max}`,
      },
    ]);
}

/** Reference data: staff read it, the city admin edits it (every edit audited, history kept). */
@ApiTags('reference-data')
@ServiceAction('reference-data.read')
@Controller()
export class ReferenceDataController {
  constructor(
    @InjectRepository(AdministrativeUnitVersion)
    private readonly units: Repository<AdministrativeUnitVersion>,
    @InjectRepository(ProcedureVersion) private readonly procedures: Repository<ProcedureVersion>,
    @InjectRepository(CalendarOverrideRecord) private readonly overrides: Repository<CalendarOverrideRecord>,
    private readonly dataSource: DataSource,
    private readonly auditTrail: AuditTrail,
    private readonly referenceData: ReferenceDataService,
    private readonly officialCalendar: OfficialCalendarWriter,
  ) {}

  @Get('units')
  @Roles(...STAFF)
  listUnits(@Query() query: AtDateQuery) {
    const day = query.at ?? toVietnamLocal(new Date()).date;
    return this.units
      .createQueryBuilder('u')
      .where('u.valid_from <= :day AND (u.valid_to IS NULL OR u.valid_to > :day)', { day })
      .orderBy('u.code')
      .getMany();
  }

  @Get('units/:code')
  @Roles(...STAFF)
  async unitHistory(@Param('code') code: string) {
    const versions = await this.units.find({ where: { code }, order: { validFrom: 'ASC' } });
    if (versions.length === 0) throw new NotFoundException(`No unit ${code}`);
    return versions;
  }

  @Put('units/:code')
  @Roles('city-admin')
  async putUnit(@Param('code') code: string, @Body() input: UnitVersionDto) {
    if (!UNIT_CODE.test(code) || code.length > 30)
      throw new ValidationProblemException([
        { field: 'code', reason: 'must be a unit code such as 00070 or SO-TP' },
      ]);
    checkDate(input.validFrom, 'validFrom');
    return this.editVersions(async (manager) => {
      await openVersion(manager, 'administrative_units', code, input.validFrom);
      const version = { code, validFrom: input.validFrom, validTo: null, name: input.name, type: input.type };
      await manager.insert(AdministrativeUnitVersion, version);
      await this.auditTrail.record(manager, {
        action: 'unit.put',
        targetType: 'unit',
        targetId: code,
        unitCode: code,
      });
      return version;
    });
  }

  @Post('units/:code/close')
  @HttpCode(200)
  @Roles('city-admin')
  async closeUnit(@Param('code') code: string, @Body() input: CloseUnitDto) {
    checkDate(input.validTo, 'validTo');
    return this.editVersions(async (manager) => {
      const rows = returningRows<{ code: string }>(
        await manager.query(
          `UPDATE administrative_units SET valid_to = $2 WHERE code = $1 AND valid_from < $2 AND (valid_to IS NULL OR valid_to > $2) RETURNING code`,
          [code, input.validTo],
        ),
      );
      if (rows.length === 0)
        throw new NotFoundException(`No version of unit ${code} in force before ${input.validTo}`);
      await this.auditTrail.record(manager, {
        action: 'unit.close',
        targetType: 'unit',
        targetId: code,
        unitCode: code,
      });
      return { code, validTo: input.validTo };
    });
  }

  @Get('procedures')
  @Roles(...STAFF)
  listProcedures(@Query() query: AtDateQuery) {
    const day = query.at ?? toVietnamLocal(new Date()).date;
    return this.procedures
      .createQueryBuilder('p')
      .where('p.valid_from <= :day AND (p.valid_to IS NULL OR p.valid_to > :day)', { day })
      .orderBy('p.code')
      .getMany();
  }

  @Get('procedures/:code')
  @Roles(...STAFF)
  async procedureHistory(@Param('code') code: string) {
    const versions = await this.procedures.find({ where: { code }, order: { validFrom: 'ASC' } });
    if (versions.length === 0) throw new NotFoundException(`No procedure ${code}`);
    return versions;
  }

  @Put('procedures/:code')
  @Roles('city-admin')
  async putProcedure(@Param('code') code: string, @Body() input: ProcedureVersionDto) {
    checkDate(input.validFrom, 'validFrom');
    const definition: ProcedureDefinition = {
      code,
      name: input.name,
      field: input.field,
      level: input.level,
      statutoryTime: (input.statutoryTime.unit === 'same-day'
        ? { unit: 'same-day' }
        : { unit: input.statutoryTime.unit, value: input.statutoryTime.value ?? NaN }) as StatutoryTime,
      onlineLevel: input.onlineLevel,
      feeVnd: input.feeVnd,
      requiresSignature: input.requiresSignature,
      codeVerified: input.codeVerified ?? NATIONAL_PROCEDURE_CODE.test(code),
    };
    if (!NATIONAL_PROCEDURE_CODE.test(code) && !LOCAL_PROCEDURE_CODE.test(code))
      definition.codeVerified = false;
    const problems = validateProcedure(definition);
    if (problems.length > 0)
      throw new ValidationProblemException(problems.map((p) => ({ field: p.field, reason: p.reason })));
    return this.editVersions(async (manager) => {
      await this.insertProcedureVersion(manager, definition, input.validFrom);
      await this.auditTrail.record(manager, {
        action: 'procedure.put',
        targetType: 'procedure',
        targetId: code,
      });
      return { ...definition, validFrom: input.validFrom, validTo: null };
    });
  }

  /** CSV import: all or nothing; any bad line is a 400 naming `line N, column X: reason`. */
  @Post('procedures/import')
  @HttpCode(200)
  @Roles('city-admin')
  async importProcedures(@Body() input: ImportProceduresDto) {
    checkDate(input.validFrom, 'validFrom');
    const parsed = parseProcedureCsv(input.csv);
    if (!parsed.ok) {
      throw new ValidationProblemException(parsed.messages.map((reason) => ({ field: 'csv', reason })));
    }
    return this.editVersions(async (manager) => {
      for (const procedure of parsed.procedures)
        await this.insertProcedureVersion(manager, procedure, input.validFrom);
      await this.auditTrail.record(manager, {
        action: 'procedure.import',
        targetType: 'procedure',
        targetId: `${parsed.procedures.length} procedures`,
      });
      return {
        imported: parsed.procedures.length,
        codes: parsed.procedures.map((p) => p.code),
        validFrom: input.validFrom,
      };
    });
  }

  /** A unit or procedure edit: once it has committed (or failed), intakes here read the new versions. */
  private async editVersions<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } finally {
      this.referenceData.invalidateVersions();
    }
  }

  private async insertProcedureVersion(
    manager: EntityManager,
    p: ProcedureDefinition,
    validFrom: string,
  ): Promise<void> {
    await openVersion(manager, 'procedures', p.code, validFrom);
    await manager.insert(ProcedureVersion, { ...p, validFrom, validTo: null });
  }

  @Get('calendar/overrides')
  @Roles(...STAFF)
  listOverrides(@Query() query: OverridesQuery) {
    const builder = this.overrides.createQueryBuilder('o').orderBy('o.date');
    if (query.year) builder.where(`extract(year FROM o.date) = :year`, { year: Number(query.year) });
    return builder.getMany();
  }

  /**
   * Corrects one date of a year's official decision. Whole years are entered with
   * PUT /calendar/official-years/:year; a correction is a new version of its year all the same
   * (history row, event), so every service still sees the same days.
   */
  @Put('calendar/overrides/:date')
  @Roles('city-admin')
  async putOverride(
    @Param('date') date: string,
    @Body() input: CalendarOverrideDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    checkDate(date, 'date');
    const { year } = parseLocalDate(date);
    const day = { date, kind: input.kind, reason: input.reason, source: input.source };
    const set = await this.officialCalendar.change(year, user.subject, 'date.put', (current) => ({
      year,
      decisionNumber: current?.decisionNumber || input.source.slice(0, 200),
      days: [...(current?.days ?? []).filter((d) => d.date !== date), day],
    }));
    return { ...day, version: set.version, updatedAt: set.updatedAt, updatedBy: set.updatedBy };
  }

  @Delete('calendar/overrides/:date')
  @HttpCode(204)
  @Roles('city-admin')
  async deleteOverride(@Param('date') date: string, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    checkDate(date, 'date');
    const { year } = parseLocalDate(date);
    await this.officialCalendar.change(year, user.subject, 'date.delete', (current) => {
      if (!current?.days.some((d) => d.date === date)) throw new NotFoundException(`No override on ${date}`);
      return {
        year,
        decisionNumber: current.decisionNumber,
        days: current.days.filter((d) => d.date !== date),
      };
    });
  }
}
