import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EventStore } from './event-store.js';
import { openPostgresStore } from './postgres/open.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

const ACCEPTED_FORMS =
  'sqlite:./data/auditbot.db, sqlite:/absolute/path.db, sqlite::memory: or postgres://user:password@host:5432/database';

/** Whether a DATABASE_URL names PostgreSQL rather than a SQLite file. */
export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//i.test(databaseUrl);
}

/** The SQLite file a `sqlite:` DATABASE_URL names (`:memory:` for an in-memory database). */
export function sqlitePathFromUrl(databaseUrl: string): string {
  if (isPostgresUrl(databaseUrl)) throw new Error('DATABASE_URL names PostgreSQL, not a SQLite file.');
  const path = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : '';
  if (path.trim() === '') {
    throw new Error(`DATABASE_URL "${databaseUrl}" is not a database URL auditbot understands. Use ${ACCEPTED_FORMS}.`);
  }
  return path;
}

/**
 * Opens the EventStore a DATABASE_URL names: PostgreSQL for postgres:// and postgresql:// URLs
 * (migrated at open), else a SQLite file, created with its directory if needed.
 */
export async function openEventStore(databaseUrl: string): Promise<EventStore> {
  if (isPostgresUrl(databaseUrl)) return openPostgresStore({ connectionString: databaseUrl });
  const path = sqlitePathFromUrl(databaseUrl);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  return openSqliteStore(path);
}
