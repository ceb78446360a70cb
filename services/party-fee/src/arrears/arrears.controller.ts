import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { PERIOD_PATTERN } from '../fee-rules/period';
import { ArrearsHandler } from './arrears.handler';

const PERIOD_MESSAGE = 'must be a month YYYY-MM between 2000-01 and 2100-12';

export class ArrearsScanDto {
  /** The last month of the twelve examined (usually the month just ended). */
  @ApiProperty({ example: '2026-05' })
  @Matches(PERIOD_PATTERN, { message: `asOfPeriod ${PERIOD_MESSAGE}` })
  asOfPeriod!: string;

  @ApiPropertyOptional({ example: '00103' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'unitCode must be a 5-digit unit code' })
  unitCode?: string;
}

export class ArrearsQueryDto {
  @ApiPropertyOptional({ example: '2026-05' })
  @IsOptional()
  @Matches(PERIOD_PATTERN, { message: `asOfPeriod ${PERIOD_MESSAGE}` })
  asOfPeriod?: string;

  @ApiPropertyOptional({ example: '00103' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'unitCode must be a 5-digit unit code' })
  unitCode?: string;
}

@ApiTags('arrears')
@Controller('arrears')
export class ArrearsController {
  constructor(private readonly handler: ArrearsHandler) {}

  @Post('scans')
  @HttpCode(200)
  @Roles('officer', 'unit-head', 'city-admin')
  @ServiceAction('party-fee.arrears.scan')
  scan(@Body() input: ArrearsScanDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.scan(input.asOfPeriod, user, input.unitCode);
  }

  /** The committee's arrears list. */
  @Get()
  @Roles('officer', 'unit-head', 'party-cell-treasurer', 'city-admin', 'auditor')
  @ServiceAction('party-fee.arrears.read')
  list(@Query() query: ArrearsQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.list(user, query.asOfPeriod, query.unitCode);
  }
}
