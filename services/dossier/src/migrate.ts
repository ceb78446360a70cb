// `node dist/migrate.js`: applies the platform, messaging and dossier migrations to DATABASE_URL
// and exits. Used by `npm start` before the service starts (the service also runs them at start-up).
import 'reflect-metadata';
import { migrateServiceDatabase } from '@backbone/platform';
import { DOSSIER_MIGRATIONS } from './database';

void migrateServiceDatabase('dossier', DOSSIER_MIGRATIONS);
