import type { Pool, PoolClient } from 'pg';
import { advisoryLockSql, MIGRATION_LOCK } from './locks.js';
import { MIGRATIONS } from './schema.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Work SQL cannot do (hashing in V8), run after `sql` in the same transaction. */
  backfill?: (client: PoolClient) => Promise<void>;
}

function assertNotNewer(current: number, latestKnown: number): void {
  if (current <= latestKnown) return;
  throw new Error(
    `The database schema is version ${current}, newer than this auditbot understands (${latestKnown}). ` +
      'Upgrade auditbot, or point DATABASE_URL at another database or schema.',
  );
}

async function currentVersion(client: PoolClient): Promise<number> {
  const result = await client.query<{ v: number }>('SELECT coalesce(max(version), 0)::int AS v FROM schema_migrations');
  return result.rows[0]?.v ?? 0;
}

/** Versions recorded in schema_migrations, oldest first (empty when none ran yet). */
export async function appliedVersions(pool: Pool): Promise<number[]> {
  const exists = await pool.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!exists.rows[0]?.t) return [];
  const result = await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  return result.rows.map((row) => row.version);
}

/**
 * Brings the schema up to date, one transaction per migration; returns the versions applied. A
 * session advisory lock (per schema) is held throughout, so of several instances starting together
 * one migrates and the others wait, then find nothing left to do.
 */
export async function applyMigrations(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const latestKnown = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const client = await pool.connect();
  try {
    // Schema changes may outlast the pool's statement timeout on a big table.
    await client.query('SET statement_timeout = 0');
    await client.query(advisoryLockSql('session', MIGRATION_LOCK));
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      assertNotNewer(await currentVersion(client), latestKnown);
      const applied: number[] = [];
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if ((await currentVersion(client)) >= migration.version) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await migration.backfill?.(client);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`Migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`, {
            cause: error,
          });
        }
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK}, hashtext(coalesce(current_schema(), '')))`);
    }
  } finally {
    // Closed rather than pooled: its session has no statement timeout, and after a failure its lock
    // state is in doubt (closing the session releases the lock whatever happened).
    client.release(true);
  }
}
