import { Body, Controller, ForbiddenException, HttpCode, Post } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { type AuthenticatedUser, canAccessUnit, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { PERIOD_PATTERN } from '../fee-rules/period';
import { AssessmentBatch } from './assessment-batch';

export class AssessmentRunDto {
  @ApiProperty({ example: '2026-02' })
  @Matches(PERIOD_PATTERN, { message: 'period must be a month YYYY-MM between 2000-01 and 2100-12' })
  period!: string;

  /** Only the cells of one commune/ward committee (default: the whole city, city admins only). */
  @ApiPropertyOptional({ example: '00103' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'unitCode must be a 5-digit unit code' })
  unitCode?: string;
}

@ApiTags('assessments')
@Controller('assessment-runs')
export class AssessmentsController {
  constructor(private readonly batch: AssessmentBatch) {}

  /**
   * The monthly assessment: one assessment per active member for the month, `party-fee.assessed.v1`
   * each. Running it again (or on another instance at the same time) creates nothing new.
   */
  @Post()
  @HttpCode(200)
  @Roles('officer', 'unit-head', 'city-admin')
  @ServiceAction('party-fee.assessment.run')
  run(@Body() input: AssessmentRunDto, @CurrentUser() user: AuthenticatedUser) {
    if (input.unitCode ? !canAccessUnit(user, input.unitCode, 'write') : !user.roles.includes('city-admin'))
      throw new ForbiddenException(
        input.unitCode
          ? `You do not serve unit ${input.unitCode}`
          : 'Only the city assesses every unit at once',
      );
    return this.batch.run(input.period, input.unitCode);
  }
}
