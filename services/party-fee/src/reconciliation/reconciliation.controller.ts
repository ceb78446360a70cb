import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { PERIOD_PATTERN } from '../fee-rules/period';
import { ReconciliationHandler } from './reconciliation.handler';

export class ReconciliationQueryDto {
  @ApiProperty({ example: '2026-02' })
  @Matches(PERIOD_PATTERN, { message: 'period must be a month YYYY-MM between 2000-01 and 2100-12' })
  period!: string;

  @ApiPropertyOptional({ example: '00103' })
  @IsOptional()
  @Matches(/^\d{5}$/, { message: 'unitCode must be a 5-digit unit code' })
  unitCode?: string;
}

const READERS = ['party-cell-treasurer', 'officer', 'unit-head', 'city-admin', 'auditor'] as const;

@ApiTags('reconciliation')
@Controller('reconciliation')
export class ReconciliationController {
  constructor(private readonly handler: ReconciliationHandler) {}

  /** A month per cell and per unit: assessed, paid, outstanding, collected, retained, remitted. */
  @Get()
  @Roles(...READERS)
  @ServiceAction('party-fee.reconciliation.read')
  month(@Query() query: ReconciliationQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.month(query.period, user, query.unitCode);
  }

  @Get('export.csv')
  @Roles(...READERS)
  @ServiceAction('party-fee.reconciliation.read')
  @Header('content-type', 'text/csv; charset=utf-8')
  async csv(
    @Query() query: ReconciliationQueryDto,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.header('content-disposition', `attachment; filename="party-fee-${query.period}.csv"`);
    return this.handler.csv(query.period, user, query.unitCode);
  }
}
