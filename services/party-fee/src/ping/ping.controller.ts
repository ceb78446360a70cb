import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';

/**
 * An authenticated route that does no I/O: bench:party-fee measures it beside the payments, so the
 * payment figure can be read against what the HTTP stack, JWT check and guards cost on their own.
 */
@ApiTags('diagnostics')
@Controller('ping')
export class PingController {
  @Get()
  @Roles('officer', 'unit-head', 'party-cell-treasurer', 'city-admin', 'auditor')
  @ServiceAction('party-fee.ping')
  ping(@CurrentUser() user: AuthenticatedUser) {
    return { ok: true, subject: user.subject };
  }
}
