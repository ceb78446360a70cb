import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser, Roles, ServiceAction } from '@backbone/platform';
import { ImportDossierBatchDto, ImportDossierDto } from './import-dossiers.dto';
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

  /**
   * Up to 500 historical dossiers at once (the migration's batches), all or none: each checked as
   * above (a refusal names it: `dossiers.<i>.<field>`), then written in one transaction, each with
   * its history, its events in the outbox and its own `dossier.import` audit record. Send an
   * Idempotency-Key so that a retried batch imports once.
   */
  @Post('batches')
  @Roles('city-admin', 'service')
  @ServiceAction('dossier.import')
  importBatch(@Body() input: ImportDossierBatchDto, @CurrentUser() user: AuthenticatedUser) {
    return this.handler.importBatch(input, user);
  }
}
