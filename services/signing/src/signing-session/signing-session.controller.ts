import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction, Throttle } from '@backbone/platform';
import {
  ConfirmSigningSessionDto,
  ConfirmSigningSessionsDto,
  RejectSigningSessionDto,
  StartSigningSessionDto,
} from './signing-session.dto';
import { SigningSessionHandler } from './signing-session.handler';

/** Signers are the unit's head (or a deputy with the `signer` role); staff of the unit may look. */
const SIGNERS = ['unit-head', 'signer'] as const;

@ApiTags('signing sessions')
@Controller()
export class SigningSessionController {
  constructor(private readonly handler: SigningSessionHandler) {}

  /** Starts the remote-signing saga for a task of the caller's unit → 201 pending (`signature.requested.v1`). */
  @Post('signature-tasks/:id/sessions')
  @HttpCode(201)
  @Roles(...SIGNERS)
  @ServiceAction('signing.session.start')
  start(
    @Param('id', ParseUUIDPipe) taskId: string,
    @Body() input: StartSigningSessionDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.start(taskId, input, user);
  }

  /** The signer's TOTP code: the document is signed with their own key (`signature.completed.v1`). */
  @Post('signing-sessions/:id/confirm')
  @HttpCode(200)
  @Throttle({ default: { limit: 20, ttl: 60_000 } })
  @Roles(...SIGNERS)
  @ServiceAction('signing.session.confirm')
  confirm(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: ConfirmSigningSessionDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.confirm(id, input, user);
  }

  /**
   * One TOTP code signs up to 50 of the signer's own pending sessions (`{sessionIds, code}`), all or
   * none, as a signer works through their queue: each gets its `signature.completed.v1`.
   */
  @Post('signing-sessions/confirmations')
  @HttpCode(200)
  @Throttle({ default: { limit: 20, ttl: 60_000 } })
  @Roles(...SIGNERS)
  @ServiceAction('signing.session.confirm')
  confirmMany(@Body() input: ConfirmSigningSessionsDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.confirmMany(input, user);
  }

  /** The signer declines with a reason (`signature.rejected.v1`): the dossier goes back to processing. */
  @Post('signing-sessions/:id/reject')
  @HttpCode(200)
  @Roles(...SIGNERS)
  @ServiceAction('signing.session.reject')
  reject(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() input: RejectSigningSessionDto,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    return this.handler.reject(id, input, user);
  }

  @Get('signing-sessions/:id')
  @Roles('officer', ...SIGNERS, 'city-admin', 'auditor')
  @ServiceAction('signing.session.read')
  find(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.find(id, user);
  }

  /** The signed PDF of a completed session (to hand to the dossier service: POST /dossiers/:id/signed-result). */
  @Get('signing-sessions/:id/signed-document')
  @Roles('officer', ...SIGNERS, 'city-admin', 'auditor')
  @ServiceAction('signing.session.read')
  async signedDocument(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const pdf = await this.handler.signedDocument(id, user);
    reply.header('content-type', 'application/pdf');
    reply.header('content-disposition', `attachment; filename="signed-${id}.pdf"`);
    return pdf;
  }
}
