import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import {
  type AuthenticatedUser,
  CurrentUser,
  Roles,
  ServiceAction,
  ValidationProblemException,
} from '@backbone/platform';
import { SubmitReportDto } from '../submit-report/submit-report.dto';
import { AnswerInquiryDto, CdrImportQuery, PbxCallEventDto } from './calls.dto';
import { CallsHandler } from './calls.handler';

@ApiTags('calls')
@Controller()
export class CallsController {
  constructor(private readonly handler: CallsHandler) {}

  /** The PBX connector's webhook: a call started or ended (idempotent by uniqueId). */
  @Post('pbx/call-events')
  @HttpCode(200)
  @Roles('service', 'city-admin')
  @ServiceAction('hotline.pbx.record-call')
  pbxEvent(@Body() input: PbxCallEventDto) {
    return this.handler.pbxEvent(input);
  }

  /** A CDR file in Asterisk's Master.csv layout (Content-Type text/csv; columns in asterisk-cdr.ts). */
  @Post('calls/cdr-imports')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string' } })
  @Roles('service', 'city-admin')
  @ServiceAction('hotline.pbx.import-cdr')
  importCdr(@Body() body: unknown, @Query() query: CdrImportQuery, @CurrentUser() user: AuthenticatedUser) {
    if (typeof body !== 'string' || body.length === 0)
      throw new ValidationProblemException([
        { field: 'body', reason: 'must be a CSV file sent as text/csv' },
      ]);
    return this.handler.importCdr(body, query.timeZone ?? 'local', user);
  }

  @Get('calls/:id')
  @Roles('hotline-agent', 'city-admin', 'auditor')
  @ServiceAction('hotline.call.read')
  one(@Param('id', ParseUUIDPipe) id: string) {
    return this.handler.one(id);
  }

  @Post('calls/:id/inquiry-answer')
  @HttpCode(200)
  @Roles('hotline-agent')
  @ServiceAction('hotline.call.answer-inquiry')
  answerInquiry(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: AnswerInquiryDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.answerInquiry(id, input, user);
  }

  @Post('calls/:id/reports')
  @HttpCode(201)
  @Roles('hotline-agent')
  @ServiceAction('hotline.call.create-report')
  reportFromCall(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: SubmitReportDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.reportFromCall(id, input, user);
  }
}
