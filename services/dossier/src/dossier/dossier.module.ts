import { Module } from '@nestjs/common';
import { DossierCreator } from './create-dossier';

/**
 * The aggregate's injectable part, registered once: every module that creates dossiers (intake,
 * import) imports this one, so the service has ONE DossierCreator and therefore one group-commit
 * batcher (ADR 0009), whose limits (dossiers per statement, statements in flight) hold for the
 * whole service rather than per module.
 */
@Module({
  providers: [DossierCreator],
  exports: [DossierCreator],
})
export class DossierModule {}
