import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { CreateCellDto, CreateCommitteeDto, NewCellVersionDto } from './cells.dto';
import { CellsHandler } from './cells.handler';
import { UnitQueryDto } from './unit-query.dto';

@ApiTags('cells')
@Controller()
export class CellsController {
  constructor(private readonly handler: CellsHandler) {}

  /** A party cell under a commune/ward committee (the committee's officers or the city). */
  @Post('cells')
  @HttpCode(201)
  @Roles('officer', 'unit-head', 'city-admin')
  @ServiceAction('party-fee.cell.create')
  create(@Body() input: CreateCellDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.create(input, user);
  }

  /** A new effective-dated version: the cell moves to another committee, changes account or treasurer. */
  @Post('cells/:id/versions')
  @HttpCode(201)
  @Roles('officer', 'unit-head', 'city-admin')
  @ServiceAction('party-fee.cell.change')
  newVersion(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: NewCellVersionDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.newVersion(id, input, user);
  }

  @Get('cells')
  @Roles('officer', 'unit-head', 'party-cell-treasurer', 'city-admin', 'auditor')
  @ServiceAction('party-fee.cell.read')
  list(@Query() query: UnitQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.list(user, query.unitCode);
  }

  @Get('cells/:id')
  @Roles('officer', 'unit-head', 'party-cell-treasurer', 'city-admin', 'auditor')
  @ServiceAction('party-fee.cell.read')
  find(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.find(id, user);
  }

  @Post('committees')
  @HttpCode(201)
  @Roles('city-admin')
  @ServiceAction('party-fee.committee.create')
  createCommittee(@Body() input: CreateCommitteeDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.createCommittee(input, user);
  }

  @Get('committees')
  @Roles('officer', 'unit-head', 'city-admin', 'auditor')
  @ServiceAction('party-fee.committee.read')
  committees(@Query() query: UnitQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.committees(query.unitCode, user);
  }
}
