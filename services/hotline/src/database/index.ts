import { InboxEntry, messagingMigrations, OutboxMessage } from '@backbone/messaging';
import { Item } from '../item/item.entity';
import { CreateHotlineSchema1796007264858 } from './migrations/1796007264858-create-hotline-schema';

/** The service's entities and the messaging lib's outbox/inbox (the platform adds its own). */
export const ENTITIES = [Item, OutboxMessage, InboxEntry];

/** The service's migrations after the platform's (which PlatformModule and migrate.ts add first). */
export const HOTLINE_MIGRATIONS = [...messagingMigrations, CreateHotlineSchema1796007264858];
