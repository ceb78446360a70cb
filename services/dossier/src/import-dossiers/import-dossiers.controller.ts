import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { ImportDossierDto } from './import-dossiers.dto';
import { ImportDossiersHandler } from './import-dossiers.handler';

@ApiTags('import')
@Controller('dossiers/imports')
export class ImportDossiersController {
  constructor(private readonly handler: ImportDossiersHandler) {}

  /**
   * One historical dossier of a dissolved district-level system, with its transitions and their
   * times: the city admin or the migration's service account, for any unit. Send an
   * Idempotency-Key (e.g. the source system and reference) so that a retried batch imports once.
   */
  @Post()
  @Roles('city-admin', 'service')
  @ServiceAction('dossier.import')
  importDossier(@Body() input: ImportDossierDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.importDossier(input, user);
  }
}
