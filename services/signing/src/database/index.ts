import { InboxEntry, messagingMigrations, OutboxMessage } from '@backbone/messaging';
import { PublishedCrl } from '../certificate-revocation-list/published-crl.entity';
import { SignerCertificate } from '../certificates/signer-certificate.entity';
import { SignerSecondFactor } from '../second-factor/signer-second-factor.entity';
import { SignatureTask } from '../signature-task/signature-task.entity';
import { SigningSession } from '../signing-session/signing-session.entity';
import { SignatureRecord } from '../signatures/signature-record.entity';
import { StoredValidationReport } from '../validate-signature/validation-report.entity';
import { CreateTrustServices1796007300000 } from './migrations/1796007300000-create-trust-services';
import { SigningFlow1796100000000 } from './migrations/1796100000000-signing-flow';

/** The trust-services entities (certificates, CRL, signatures, validation reports). */
export const TRUST_ENTITIES = [SignerCertificate, PublishedCrl, SignatureRecord, StoredValidationReport];

/** The signing flow's entities (ADR 0012): tasks, sessions, second factors. */
export const SIGNING_FLOW_ENTITIES = [SignatureTask, SigningSession, SignerSecondFactor];

/** The service's entities and the messaging lib's outbox/inbox (the platform adds its own). */
export const ENTITIES = [...TRUST_ENTITIES, ...SIGNING_FLOW_ENTITIES, OutboxMessage, InboxEntry];

/** The service's migrations after the platform's (which PlatformModule and migrate.ts add first). */
export const SIGNING_MIGRATIONS = [
  ...messagingMigrations,
  CreateTrustServices1796007300000,
  SigningFlow1796100000000,
];
