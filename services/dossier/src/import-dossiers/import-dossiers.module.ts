import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ENTITIES } from '../database';
import { DossierModule } from '../dossier/dossier.module';
import { ReferenceDataService } from '../reference-data/reference-data.service';
import { ImportDossiersController } from './import-dossiers.controller';
import { ImportDossiersHandler } from './import-dossiers.handler';

/**
 * The import of historical dossiers as one module, so that the service registers it with one line.
 * It has its own ReferenceDataService instance: the calendar cache is per instance and expires in
 * 10 s, which is what other service instances already see after an edit.
 */
@Module({
  imports: [TypeOrmModule.forFeature(ENTITIES), DossierModule],
  controllers: [ImportDossiersController],
  providers: [ReferenceDataService, ImportDossiersHandler],
})
export class ImportDossiersModule {}
