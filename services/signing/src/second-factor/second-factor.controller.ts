import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction, Throttle } from '@backbone/platform';
import { SecondFactorHandler } from './second-factor.handler';

export class ActivateSecondFactorDto {
  /** The 6-digit code the authenticator app shows for the new secret. */
  @Matches(/^\d{6}$/, { message: 'must be the 6-digit code of your authenticator app' })
  code!: string;
}

/** The caller's own TOTP second factor (RFC 6238): signers only, each for themselves. */
@ApiTags('second factor')
@Controller('signers/me/second-factor')
export class SecondFactorController {
  constructor(private readonly handler: SecondFactorHandler) {}

  /** A new secret (shown once, with its otpauth:// URI for a QR code); pending until activated. */
  @Post()
  @HttpCode(201)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @Roles('unit-head', 'signer')
  @ServiceAction('signing.second-factor.enrol')
  enrol(@CurrentUser() user: AuthenticatedUser) {
    return this.handler.enrol(user);
  }

  @Post('activate')
  @HttpCode(200)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @Roles('unit-head', 'signer')
  @ServiceAction('signing.second-factor.activate')
  activate(@Body() input: ActivateSecondFactorDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.activate(input.code, user);
  }

  @Get()
  @Roles('unit-head', 'signer')
  @ServiceAction('signing.second-factor.read')
  find(@CurrentUser() user: AuthenticatedUser) {
    return this.handler.find(user);
  }
}
