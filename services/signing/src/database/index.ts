import { InboxEntry, messagingMigrations, OutboxMessage } from '@backbone/messaging';
import { PublishedCrl } from '../certificate-revocation-list/published-crl.entity';
import { SignerCertificate } from '../certificates/signer-certificate.entity';
import { SignatureRecord } from '../signatures/signature-record.entity';
import { StoredValidationReport } from '../validate-signature/validation-report.entity';
import { CreateTrustServices1796007300000 } from './migrations/1796007300000-create-trust-services';

/** The trust-services entities (certificates, CRL, signatures, validation reports). */
export const TRUST_ENTITIES = [SignerCertificate, PublishedCrl, SignatureRecord, StoredValidationReport];

/** The service's entities and the messaging lib's outbox/inbox (the platform adds its own). */
export const ENTITIES = [...TRUST_ENTITIES, OutboxMessage, InboxEntry];

/** The service's migrations after the platform's (which PlatformModule and migrate.ts add first). */
export const SIGNING_MIGRATIONS = [...messagingMigrations, CreateTrustServices1796007300000];
