import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  assertCanActForUnit,
  type AuthenticatedUser,
  CurrentUser,
  Roles,
  ServiceAction,
} from '@backbone/platform';
import { ReceiveDossierDto, SubmitOnlineDossierDto } from './receive-dossier.dto';
import { ReceiveDossierHandler } from './receive-dossier.handler';

@ApiTags('intake')
@Controller('dossiers')
export class ReceiveDossierController {
  constructor(private readonly handler: ReceiveDossierHandler) {}

  /** Intake at the one-stop desk (direct, postal, agent): the dossier is received and its clock starts. */
  @Post()
  @Roles('officer')
  receiveDossier(@Body() input: ReceiveDossierDto, @CurrentUser() user: AuthenticatedUser) {
    assertCanActForUnit(user, input.unitCode);
    return this.handler.receive(input, user);
  }

  /**
   * An online submission relayed by the national public-service portal, authenticated with the
   * portal's `service` token (not unit-scoped: the portal files for every unit). It awaits
   * acceptance (`POST /dossiers/:id/accept`) by an officer of the unit.
   */
  @Post('online')
  @Roles('service')
  @ServiceAction('dossier.submit-online')
  submitOnline(@Body() input: SubmitOnlineDossierDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.submitOnline(input, user);
  }
}
