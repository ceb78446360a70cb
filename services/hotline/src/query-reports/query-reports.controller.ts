import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { ListReportsQuery, StatsQuery } from './query-reports.dto';
import { QueryReportsHandler } from './query-reports.handler';

@ApiTags('reports')
@Controller()
export class QueryReportsController {
  constructor(private readonly handler: QueryReportsHandler) {}

  /** Reports of the caller's units (hotline agents, city admins and auditors: every unit). */
  @Get('reports')
  @Roles('officer', 'unit-head', 'hotline-agent', 'city-admin', 'auditor')
  @ServiceAction('hotline.report.read')
  list(@Query() query: ListReportsQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.list(query, user);
  }

  @Get('reports/:id')
  @Roles('officer', 'unit-head', 'hotline-agent', 'city-admin', 'auditor')
  @ServiceAction('hotline.report.read')
  one(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.one(id, user);
  }

  @Get('reports/:id/history')
  @Roles('officer', 'unit-head', 'hotline-agent', 'city-admin', 'auditor')
  @ServiceAction('hotline.report.read')
  history(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.history(id, user);
  }

  /**
   * The hotline's own counts per unit for Hanoi days from..to (calls, reports, SLA compliance, app
   * accounts): what the reporting service's reconciliation compares its figures with.
   */
  @Get('stats')
  @Roles('city-admin', 'auditor')
  @ServiceAction('hotline.stats.read')
  stats(@Query() query: StatsQuery) {
    return this.handler.stats(query);
  }
}
