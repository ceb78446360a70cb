import { Body, Controller, Get, HttpStatus, Param, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  AuditTrail,
  type AuthenticatedUser,
  CurrentUser,
  IsBoundedLocalDate,
  Roles,
  ServiceAction,
  TypedProblemException,
} from '@backbone/platform';
import { IsOptional, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { planNewVersion } from './effective-dated';
import {
  CATEGORY_CODE_PATTERN,
  PutCategoryDto,
  PutHandlingLimitDto,
  RetireCategoryDto,
} from './taxonomy.dto';
import { HandlingLimitVersion, ReportCategoryVersion } from './taxonomy.entities';
import { TaxonomyService } from './taxonomy.service';

class CategoriesQuery {
  @IsOptional()
  @IsBoundedLocalDate()
  on?: string;
}

class CategoryCodeParam {
  @Matches(CATEGORY_CODE_PATTERN, { message: 'code must be a taxonomy code such as environment.waste' })
  code!: string;
}

class LevelParam {
  @Matches(/^(normal|complex)$/, {
    message: 'level must be normal or complex (urgent is fixed at 4 working hours)',
  })
  level!: 'normal' | 'complex';
}

const versionConflict = (reason: string) =>
  new TypedProblemException('urn:backbone:problem:taxonomy-version-conflict', HttpStatus.CONFLICT, reason);

/**
 * The managed taxonomy of report categories and the handling limits of normal and complex
 * reports: effective-dated data the city admin edits (a change is a new version from a day; the
 * version in force then ends that day). Each change is one transaction with its audit record.
 */
@ApiTags('taxonomy')
@Controller('taxonomy')
export class TaxonomyController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly taxonomy: TaxonomyService,
    private readonly audit: AuditTrail,
  ) {}

  @Get('categories')
  @Roles('officer', 'unit-head', 'hotline-agent', 'city-admin', 'auditor', 'service')
  @ServiceAction('hotline.taxonomy.read')
  async categories(@Query() query: CategoriesQuery) {
    return { categories: await this.taxonomy.categoriesOn(query.on) };
  }

  @Get('categories/:code/versions')
  @Roles('officer', 'unit-head', 'hotline-agent', 'city-admin', 'auditor')
  @ServiceAction('hotline.taxonomy.read')
  async versions(@Param() params: CategoryCodeParam) {
    const versions = (await this.taxonomy.allCategoryVersions()).filter((row) => row.code === params.code);
    return { code: params.code, versions };
  }

  @Put('categories/:code')
  @Roles('city-admin')
  @ServiceAction('hotline.taxonomy.edit')
  async putCategory(
    @Param() params: CategoryCodeParam,
    @Body() input: PutCategoryDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    const saved = await this.dataSource.transaction(async (manager) => {
      const versions = await manager.find(ReportCategoryVersion, {
        where: { code: params.code },
        lock: { mode: 'pessimistic_write' },
      });
      const plan = planNewVersion(versions, input.validFrom);
      if (!plan.ok) throw versionConflict(plan.reason);
      if (plan.closing)
        await manager.update(
          ReportCategoryVersion,
          { code: params.code, validFrom: plan.closing.validFrom },
          { validTo: input.validFrom },
        );
      const row = Object.assign(new ReportCategoryVersion(), {
        code: params.code,
        validFrom: input.validFrom,
        validTo: null,
        group: input.group,
        nameVi: input.nameVi,
        nameEn: input.nameEn,
        description: input.description,
        changedBy: user.subject,
        changedAt: new Date(),
      });
      await manager.save(ReportCategoryVersion, row);
      await this.audit.record(manager, {
        action: 'hotline.taxonomy.edit',
        targetType: 'report-category',
        targetId: params.code,
        unitCode: 'VP-UBND',
      });
      return row;
    });
    this.taxonomy.invalidate();
    return saved;
  }

  /** Retires an entry from a day: the version in force then ends; nothing new starts. */
  @Put('categories/:code/retirement')
  @Roles('city-admin')
  @ServiceAction('hotline.taxonomy.edit')
  async retireCategory(@Param() params: CategoryCodeParam, @Body() input: RetireCategoryDto) {
    await this.dataSource.transaction(async (manager) => {
      const versions = await manager.find(ReportCategoryVersion, {
        where: { code: params.code },
        lock: { mode: 'pessimistic_write' },
      });
      const plan = planNewVersion(versions, input.validFrom);
      if (!plan.ok) throw versionConflict(plan.reason);
      const ending = plan.closing ?? plan.replacing;
      if (!ending) throw versionConflict(`no version of ${params.code} is in force on ${input.validFrom}`);
      if (plan.replacing)
        await manager.delete(ReportCategoryVersion, { code: params.code, validFrom: input.validFrom });
      else
        await manager.update(
          ReportCategoryVersion,
          { code: params.code, validFrom: ending.validFrom },
          { validTo: input.validFrom },
        );
      await this.audit.record(manager, {
        action: 'hotline.taxonomy.retire',
        targetType: 'report-category',
        targetId: params.code,
        unitCode: 'VP-UBND',
      });
    });
    this.taxonomy.invalidate();
    return { code: params.code, retiredFrom: input.validFrom };
  }

  @Get('handling-limits')
  @Roles('officer', 'unit-head', 'hotline-agent', 'city-admin', 'auditor')
  @ServiceAction('hotline.taxonomy.read')
  async limits() {
    return {
      urgentWorkingHours: 4,
      versions: await this.dataSource
        .getRepository(HandlingLimitVersion)
        .find({ order: { level: 'ASC', validFrom: 'ASC' } }),
    };
  }

  @Put('handling-limits/:level')
  @Roles('city-admin')
  @ServiceAction('hotline.taxonomy.edit')
  async putLimit(
    @Param() params: LevelParam,
    @Body() input: PutHandlingLimitDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    const saved = await this.dataSource.transaction(async (manager) => {
      const versions = await manager.find(HandlingLimitVersion, {
        where: { level: params.level },
        lock: { mode: 'pessimistic_write' },
      });
      const plan = planNewVersion(versions, input.validFrom);
      if (!plan.ok) throw versionConflict(plan.reason);
      if (plan.closing)
        await manager.update(
          HandlingLimitVersion,
          { level: params.level, validFrom: plan.closing.validFrom },
          { validTo: input.validFrom },
        );
      const row = Object.assign(new HandlingLimitVersion(), {
        level: params.level,
        validFrom: input.validFrom,
        validTo: null,
        workingHours: input.workingHours,
        source: input.source,
        changedBy: user.subject,
        changedAt: new Date(),
      });
      await manager.save(HandlingLimitVersion, row);
      await this.audit.record(manager, {
        action: 'hotline.handling-limit.edit',
        targetType: 'handling-limit',
        targetId: params.level,
        unitCode: 'VP-UBND',
      });
      return row;
    });
    this.taxonomy.invalidate();
    return saved;
  }
}
