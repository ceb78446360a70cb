import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';

/**
 * An authenticated route that does no I/O: bench:hotline measures it beside report intake, so the
 * intake figure can be read against what the HTTP stack, JWT check and guards cost on their own.
 */
@ApiTags('diagnostics')
@Controller('ping')
export class PingController {
  @Get()
  @Roles('officer', 'unit-head', 'hotline-agent', 'city-admin', 'auditor', 'service')
  @ServiceAction('hotline.ping')
  ping(@CurrentUser() user: AuthenticatedUser) {
    return { ok: true, subject: user.subject };
  }
}
