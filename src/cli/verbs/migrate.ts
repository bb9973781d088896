import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { AppConfig } from '../../config.js';
import { isPostgresUrl, sqlitePathFromUrl } from '../../store/open-store.js';
import { type MigrationReport, migratePostgres } from '../../store/postgres/open.js';
import { applyMigrations as applySqliteMigrations } from '../../store/sqlite/migrations.js';
import { parseVerbArgs } from '../usage.js';

function migrateSqlite(databaseUrl: string): MigrationReport {
  const path = sqlitePathFromUrl(databaseUrl);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path);
  try {
    const applied = applySqliteMigrations(db);
    const versions = db.prepare<[], number>('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    return { target: `SQLite ${path}`, applied, versions };
  } finally {
    db.close();
  }
}

/**
 * `migrate`: brings the DATABASE_URL's schema up to date and says what it did. Every start migrates
 * too; this is for doing it once before a rolling deploy, or to check which version a database is at.
 */
export async function migrateVerb(args: string[], config: AppConfig): Promise<number> {
  parseVerbArgs(args, {}, false);
  const report = isPostgresUrl(config.databaseUrl)
    ? await migratePostgres({ connectionString: config.databaseUrl })
    : migrateSqlite(config.databaseUrl);
  const current = report.versions.at(-1) ?? 0;
  const done =
    report.applied.length === 0
      ? 'already up to date'
      : `applied version${report.applied.length > 1 ? 's' : ''} ${report.applied.join(', ')}`;
  process.stdout.write(`${report.target}: ${done}; schema at version ${current}\n`);
  return 0;
}
