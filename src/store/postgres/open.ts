import pg from 'pg';
import { MIGRATION_LOCK } from './locks.js';
import { appliedVersions, applyMigrations } from './migrations.js';
import { Partitions } from './partitions.js';
import { createPool, inTransaction, type PostgresStoreOptions, unavailable } from './pool.js';
import { PostgresEventStore } from './postgres-store.js';

/** Serialised like migrations: two instances creating the same schema at once would otherwise collide. */
async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK}, hashtext($1))`, [schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
  });
}

async function prepare(pool: pg.Pool, schema: string | undefined, label: string): Promise<number[]> {
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    throw unavailable(label, error);
  }
  if (schema !== undefined) await createSchema(pool, schema);
  return applyMigrations(pool);
}

export interface MigrationReport {
  /** host:port/database (and schema), never the password. */
  target: string;
  applied: number[];
  versions: number[];
}

/** What `auditbot migrate` does for a postgres:// DATABASE_URL: schema, migrations, this month's partitions. */
export async function migratePostgres(options: PostgresStoreOptions): Promise<MigrationReport> {
  const { pool, schema, label } = createPool({ ...options, poolMax: 2 });
  try {
    const applied = await prepare(pool, schema, label);
    await new Partitions(pool).createAhead(Date.now());
    return { target: schema ? `${label} schema ${schema}` : label, applied, versions: await appliedVersions(pool) };
  } finally {
    await pool.end();
  }
}

/**
 * Connects, creates the schema when one is named, applies pending migrations (under an advisory lock,
 * so instances starting together migrate once) and creates this month's and next month's partitions.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresEventStore> {
  const { pool, schema, label } = createPool(options);
  try {
    await prepare(pool, schema, label);
    const partitions = new Partitions(pool);
    await partitions.refresh();
    await partitions.createAhead(Date.now());
    const store = new PostgresEventStore(pool, partitions, options.summaryTtlMs, options.queryDeadlineMs);
    void store.startFillingSearchLines();
    return store;
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
}
