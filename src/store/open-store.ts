import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { EventStore } from './event-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

const ACCEPTED_FORMS = 'sqlite:./data/auditbot.db, sqlite:/absolute/path.db or sqlite::memory:';

/** The SQLite file a `sqlite:` DATABASE_URL names (`:memory:` for an in-memory database). */
export function sqlitePathFromUrl(databaseUrl: string): string {
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    throw new Error(
      'DATABASE_URL names PostgreSQL, but PostgreSQL support is not available yet. ' +
        `Use a sqlite: URL instead (${ACCEPTED_FORMS}).`,
    );
  }
  const path = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : '';
  if (path.trim() === '') {
    throw new Error(`DATABASE_URL "${databaseUrl}" is not a database URL auditbot understands. Use ${ACCEPTED_FORMS}.`);
  }
  return path;
}

/** Opens the EventStore a DATABASE_URL names, creating the database file and its directory if needed. */
export async function openEventStore(databaseUrl: string): Promise<EventStore> {
  const path = sqlitePathFromUrl(databaseUrl);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  return openSqliteStore(path);
}
