import { InboxEntry, messagingMigrations, OutboxMessage } from '@backbone/messaging';
import { Item } from '../item/item.entity';
import { CreateSigningSchema1796007252211 } from './migrations/1796007252211-create-signing-schema';

/** The service's entities and the messaging lib's outbox/inbox (the platform adds its own). */
export const ENTITIES = [Item, OutboxMessage, InboxEntry];

/** The service's migrations after the platform's (which PlatformModule and migrate.ts add first). */
export const SIGNING_MIGRATIONS = [...messagingMigrations, CreateSigningSchema1796007252211];
