import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from '@backbone/platform';

/**
 * An authenticated route that does no I/O: the load script measures it beside intake, so the
 * intake figure can be read against what the HTTP stack, JWT check and guards cost on their own.
 */
@ApiTags('diagnostics')
@Controller('ping')
export class PingController {
  @Get()
  ping(@CurrentUser() user: AuthenticatedUser) {
    return { ok: true, subject: user.subject };
  }
}
