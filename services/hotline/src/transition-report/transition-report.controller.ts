import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import {
  AnswerReportDto,
  AssignReportDto,
  RateReportDto,
  RejectReportDto,
  TransferReportDto,
} from './transition-report.dto';
import { TransitionReportHandler } from './transition-report.handler';

const STAFF = ['officer', 'unit-head', 'city-admin'] as const;

/**
 * The lifecycle steps (report-lifecycle.ts decides who may take which from where): each one is an
 * event with its actor, a history row and an audit record, written together.
 */
@ApiTags('reports')
@Controller('reports/:id')
export class TransitionReportController {
  constructor(private readonly handler: TransitionReportHandler) {}

  @Post('accept')
  @HttpCode(200)
  @Roles(...STAFF)
  @ServiceAction('hotline.report.accept')
  accept(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.transition(id, { action: 'accept' }, user);
  }

  @Post('reject')
  @HttpCode(200)
  @Roles(...STAFF)
  @ServiceAction('hotline.report.reject')
  reject(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: RejectReportDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.transition(id, { action: 'reject', reason: input.reason }, user);
  }

  /** To another unit (not ours; or the agent's routing): its acceptance clock restarts there. */
  @Post('transfer')
  @HttpCode(200)
  @Roles(...STAFF, 'hotline-agent')
  @ServiceAction('hotline.report.transfer')
  transfer(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: TransferReportDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.transition(id, { action: 'transfer', toUnitCode: input.toUnitCode }, user);
  }

  @Post('assign')
  @HttpCode(200)
  @Roles(...STAFF)
  @ServiceAction('hotline.report.assign')
  assign(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: AssignReportDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.transition(id, { action: 'assign', assignee: input.assignee }, user);
  }

  @Post('start')
  @HttpCode(200)
  @Roles(...STAFF)
  @ServiceAction('hotline.report.start')
  start(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.transition(id, { action: 'start' }, user);
  }

  @Post('answer')
  @HttpCode(200)
  @Roles(...STAFF)
  @ServiceAction('hotline.report.answer')
  answer(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: AnswerReportDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.transition(id, { action: 'answer', answer: input.answer }, user);
  }

  /** The citizen's rating, through their channel (or an agent on the phone): 1–2 reopens, then escalates. */
  @Post('rating')
  @HttpCode(200)
  @Roles('service', 'hotline-agent')
  @ServiceAction('hotline.report.rate')
  rate(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: RateReportDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.transition(id, { action: 'rate', rating: input.rating }, user);
  }
}
