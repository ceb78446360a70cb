import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { actorOf } from '../report/report-actor';
import { ReportIntake } from './report-intake';
import { SubmitReportDto } from './submit-report.dto';

@ApiTags('reports')
@Controller('reports')
export class SubmitReportController {
  constructor(private readonly intake: ReportIntake) {}

  /**
   * A citizen report from any channel: hotline agents (1022, and e-mail they transcribe) for any
   * unit; a channel's service client (iHanoi, the web portal, the e-mail and Zalo gateways) for the
   * citizen. Routed, linked to an open duplicate, or refused outside Hanoi (422 with the reason).
   */
  @Post()
  @HttpCode(201)
  @Roles('hotline-agent', 'city-admin', 'service')
  @ServiceAction('hotline.report.submit')
  submit(@Body() input: SubmitReportDto, @CurrentUser() user: AuthenticatedUser) {
    const actor = actorOf(user);
    return this.intake.submit(input, { actor, unitRequired: actor.role !== 'citizen' });
  }
}
