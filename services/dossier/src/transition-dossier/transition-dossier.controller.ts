import {
  Body,
  Controller,
  Headers,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  type AuthenticatedUser,
  CurrentUser,
  IdempotencyInStatement,
  Roles,
  ServiceAction,
} from '@backbone/platform';
import { TransitionDossierDto, URL_ACTIONS, type UrlAction } from './transition-dossier.dto';
import { TransitionDossierHandler } from './transition-dossier.handler';

/** `If-Match: "3"` (or W/"3", or 3) → 3. */
export function versionFromIfMatch(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  return match ? Number(match[1]) : undefined;
}

@ApiTags('lifecycle')
@Controller('dossiers')
export class TransitionDossierController {
  constructor(private readonly handler: TransitionDossierHandler) {}

  /**
   * accept, refuse, start-processing, request-supplement, provide-supplement, request-payment,
   * record-payment, resolve, return-result, withdraw, stop, issue-apology. The state machine
   * decides who may do what from which status (README, Lifecycle).
   */
  @Post(':id/:action')
  @HttpCode(200)
  // The Idempotency-Key is claimed and completed in the transition's own two statements.
  @IdempotencyInStatement()
  @Roles('officer', 'unit-head', 'signer', 'city-admin', 'service')
  @ServiceAction((request) => `dossier.${request.params?.action ?? ''}`)
  transition(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('action') action: string,
    @Body() input: TransitionDossierDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentUser() user: AuthenticatedUser,
  ) {
    if (!Object.hasOwn(URL_ACTIONS, action)) {
      throw new NotFoundException(
        `No dossier action ${action}; actions: ${Object.keys(URL_ACTIONS).join(', ')}`,
      );
    }
    // A POST without a body is fine for actions that need nothing but the version.
    const body = input ?? new TransitionDossierDto();
    return this.handler.transition(
      id,
      action as UrlAction,
      body,
      body.expectedVersion ?? versionFromIfMatch(ifMatch),
      user,
    );
  }
}
