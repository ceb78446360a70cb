import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { ImportStatementDto, ResolveLineDto, UnmatchedQueryDto } from './statements.dto';
import { StatementsHandler } from './statements.handler';

const TREASURY = ['party-cell-treasurer', 'officer', 'unit-head', 'city-admin'] as const;

@ApiTags('statements')
@Controller()
export class StatementsController {
  constructor(private readonly handler: StatementsHandler) {}

  /** Imports a camt.053 or CSV statement of a cell's account; importing it again matches nothing new. */
  @Post('statements')
  @HttpCode(201)
  @Roles(...TREASURY)
  @ServiceAction('party-fee.statement.import')
  import(@Body() input: ImportStatementDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.import(input, user);
  }

  /** Lines a treasurer has to resolve. */
  @Get('statement-lines/unmatched')
  @Roles(...TREASURY, 'auditor')
  @ServiceAction('party-fee.statement.read')
  unmatched(@Query() query: UnmatchedQueryDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.unmatched(query.cellId, user);
  }

  @Post('statement-lines/:id/resolution')
  @HttpCode(201)
  @Roles(...TREASURY)
  @ServiceAction('party-fee.statement-line.resolve')
  resolve(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: ResolveLineDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.resolve(id, input, user);
  }
}
