// `node dist/migrate.js`: applies the platform, messaging and party-fee migrations to DATABASE_URL
// and exits. Used by `npm start` before the service starts (the service also runs them at start-up).
import 'reflect-metadata';
import { migrateServiceDatabase } from '@backbone/platform';
import { PARTY_FEE_MIGRATIONS } from './database';

void migrateServiceDatabase('party-fee', PARTY_FEE_MIGRATIONS);
