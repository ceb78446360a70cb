import { InboxEntry, messagingMigrations, OutboxMessage } from '@backbone/messaging';
import { Item } from '../item/item.entity';
import { CreatePartyFeeSchema1796007275628 } from './migrations/1796007275628-create-party-fee-schema';

/** The service's entities and the messaging lib's outbox/inbox (the platform adds its own). */
export const ENTITIES = [Item, OutboxMessage, InboxEntry];

/** The service's migrations after the platform's (which PlatformModule and migrate.ts add first). */
export const PARTY_FEE_MIGRATIONS = [...messagingMigrations, CreatePartyFeeSchema1796007275628];
