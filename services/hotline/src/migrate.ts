// `node dist/migrate.js`: applies the platform, messaging and hotline migrations to DATABASE_URL
// and exits. Used by `npm start` before the service starts (the service also runs them at start-up).
import 'reflect-metadata';
import { migrateServiceDatabase } from '@backbone/platform';
import { HOTLINE_MIGRATIONS } from './database';

void migrateServiceDatabase('hotline', HOTLINE_MIGRATIONS);
