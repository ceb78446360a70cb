// `node dist/migrate.js`: applies the platform, messaging and signing migrations to DATABASE_URL
// and exits. Used by `npm start` before the service starts (the service also runs them at start-up).
import 'reflect-metadata';
import { migrateServiceDatabase } from '@backbone/platform';
import { SIGNING_MIGRATIONS } from './database';

void migrateServiceDatabase('signing', SIGNING_MIGRATIONS);
