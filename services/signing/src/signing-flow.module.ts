import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OnDossierResolvedConsumer } from './consumers/on-dossier-resolved.consumer';
import { SIGNING_FLOW_ENTITIES } from './database';
import { SecondFactorController } from './second-factor/second-factor.controller';
import { SecondFactorHandler } from './second-factor/second-factor.handler';
import { SessionTimeoutScanner } from './session-timeout/session-timeout.scanner';
import { SignatureTasksController } from './signature-task/signature-tasks.controller';
import { SigningStatsController } from './signing-counts/signing-stats.controller';
import { SigningSessionController } from './signing-session/signing-session.controller';
import { SigningSessionHandler } from './signing-session/signing-session.handler';
import { TrustServicesModule } from './trust-services.module';

/**
 * The signing flow (ADR 0012): signature tasks made from `dossier.resolved.v1`, the unit's queue,
 * signers' TOTP second factors, the remote-signing saga (sessions and their timeout) and the
 * service's own counts. It signs through the trust services' DocumentSigning.
 */
@Module({
  imports: [TypeOrmModule.forFeature(SIGNING_FLOW_ENTITIES), TrustServicesModule],
  controllers: [
    SignatureTasksController,
    SigningSessionController,
    SecondFactorController,
    SigningStatsController,
    // Its @EventPattern handler runs in the inbox transport main.ts connects.
    OnDossierResolvedConsumer,
  ],
  providers: [SigningSessionHandler, SecondFactorHandler, SessionTimeoutScanner],
})
export class SigningFlowModule {}
