import { InboxEntry, messagingMigrations, OutboxMessage } from '@backbone/messaging';
import { Item } from '../item/item.entity';
import { CreateSigningSchema1796007252211 } from './migrations/1796007252211-create-signing-schema';
import { SigningFlow1796100000000 } from './migrations/1796100000000-signing-flow';
import { SignerSecondFactor } from '../second-factor/signer-second-factor.entity';
import { SignatureTask } from '../signature-task/signature-task.entity';
import { SigningSession } from '../signing-session/signing-session.entity';

/** The signing flow's entities (ADR 0012): tasks, sessions, second factors. */
export const SIGNING_FLOW_ENTITIES = [SignatureTask, SigningSession, SignerSecondFactor];

/** The service's entities and the messaging lib's outbox/inbox (the platform adds its own). */
export const ENTITIES = [Item, OutboxMessage, InboxEntry, ...SIGNING_FLOW_ENTITIES];

/** The service's migrations after the platform's (which PlatformModule and migrate.ts add first). */
export const SIGNING_MIGRATIONS = [
  ...messagingMigrations,
  CreateSigningSchema1796007252211,
  SigningFlow1796100000000,
];
