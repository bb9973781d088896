import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AuditbotError, ConfigError } from '../errors.js';
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
  if (isPostgresUrl(databaseUrl)) throw new ConfigError('DATABASE_URL names PostgreSQL, not a SQLite file.');
  const path = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : '';
  if (path.trim() === '') {
    throw new ConfigError(
      `DATABASE_URL "${databaseUrl}" is not a database URL auditbot understands. Use ${ACCEPTED_FORMS}.`,
    );
  }
  return path;
}

const SQLITE_HINT = `Point DATABASE_URL at a new or existing auditbot database file (${ACCEPTED_FORMS}).`;

/** Why a SQLite file cannot be used, in one sentence, decided by the error's code (never its text). */
function sqliteOpenError(path: string, error: unknown): AuditbotError {
  const code = (error as { code?: unknown }).code;
  const why =
    code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT'
      ? 'the file is not a SQLite database'
      : code === 'SQLITE_READONLY' || code === 'EACCES' || code === 'SQLITE_PERM'
        ? 'auditbot may not write to it'
        : code === 'ENOTDIR' || code === 'EEXIST'
          ? 'a part of its path is a file, not a directory'
          : `it cannot be opened (${typeof code === 'string' ? code : String(error)})`;
  return new AuditbotError('store_unavailable', `Cannot use the SQLite database at ${path}: ${why}.`, {
    hint: SQLITE_HINT,
    cause: error,
  });
}

function openSqliteFile(path: string): EventStore {
  if (path === ':memory:') return openSqliteStore(path);
  const file = resolve(path);
  try {
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
      throw new AuditbotError('store_unavailable', `Cannot use the SQLite database at ${path}: it is a directory.`, {
        hint: SQLITE_HINT,
      });
    }
    mkdirSync(dirname(file), { recursive: true });
    return openSqliteStore(path);
  } catch (error) {
    if (error instanceof AuditbotError) throw error;
    throw sqliteOpenError(path, error);
  }
}

/**
 * Opens the EventStore a DATABASE_URL names: PostgreSQL for postgres:// and postgresql:// URLs
 * (migrated at open), else a SQLite file, created with its directory if needed.
 */
export async function openEventStore(databaseUrl: string): Promise<EventStore> {
  if (isPostgresUrl(databaseUrl)) return openPostgresStore({ connectionString: databaseUrl });
  return openSqliteFile(sqlitePathFromUrl(databaseUrl));
}
