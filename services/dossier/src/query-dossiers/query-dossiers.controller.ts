import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { DeskCountsQuery, ListDossiersQuery, StatsQuery } from './query-dossiers.dto';
import { QueryDossiersHandler } from './query-dossiers.handler';

const READERS = ['officer', 'unit-head', 'signer', 'city-admin', 'auditor', 'service'] as const;

@ApiTags('queries')
@ServiceAction('dossier.read')
@Controller('dossiers')
export class QueryDossiersController {
  constructor(private readonly handler: QueryDossiersHandler) {}

  @Get()
  @Roles(...READERS)
  list(@Query() query: ListDossiersQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.list(query, user);
  }

  @Get('counts')
  @Roles(...READERS)
  deskCounts(@Query() query: DeskCountsQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.deskCounts(query, user);
  }

  @Get('stats')
  @Roles(...READERS)
  stats(@Query() query: StatsQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.stats(query, user);
  }

  @Get('by-code/:code')
  @Roles(...READERS)
  byCode(@Param('code') code: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.byCode(code, user);
  }

  @Get(':id')
  @Roles(...READERS)
  byId(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.byId(id, user);
  }
}
