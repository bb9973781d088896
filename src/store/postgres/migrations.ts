import type { Pool, PoolClient } from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/*
 * Layout, and why:
 *
 * `events` is RANGE-partitioned by month on `ts` (epoch ms, as in SQLite, so cursors and filters are
 * shared). Retention then drops whole months (DROP TABLE of a partition: no dead rows, no vacuum),
 * imports of recent events touch only the newest partition's indexes, and a time-bounded search is
 * pruned to the months it covers. Partitions are created ahead at open and on demand by append
 * (partitions.ts), so there is no DEFAULT partition that would have to be scanned on every creation.
 *
 * A UNIQUE index on a partitioned table must contain the partition key, so (customer_id, id) and
 * (customer_id, fingerprint) cannot be enforced on `events` itself: the same id re-sent with another
 * timestamp would land in another partition. `event_keys` is a small non-partitioned table (ids and a
 * 32-byte fingerprint, no payload) holding both constraints; append inserts into it with ON CONFLICT
 * DO NOTHING and stores in `events` only the rows that got a key, in one statement. It also tells
 * `get` which partition holds an event (its ts). Prune deletes the keys of the events it removes.
 *
 * Indexes mirror SQLite's (src/store/sqlite/migrations.ts): led by customer_id, ending in ts so a
 * filtered newest-first page is a backward index walk (ties on ts, rare, are put in id order by an
 * incremental sort; a 36-character id in five indexes cost ~10% of import speed). Declared on the
 * parent so every partition gets them. Text columns use the "C" collation: id order is byte order,
 * as in SQLite, and comparisons are plain memcmp.
 *
 * Free text: `search` holds each event's words as a tsvector (the same fields as SQLite's FTS table),
 * indexed with GIN. append computes it (search-text.ts, which also tokenises query terms, so index
 * and query agree whatever the database locale) rather than a generated column: PostgreSQL's own
 * tokenising cost ~100 µs a row, more than the rest of an insert twice over.
 */
const initialSchema = `
CREATE TABLE events (
  customer_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  ts bigint NOT NULL,
  event_type text COLLATE "C" NOT NULL,
  service text COLLATE "C" NOT NULL,
  entity_type text COLLATE "C" NOT NULL,
  entity_type_key text COLLATE "C" NOT NULL,
  entity_key text COLLATE "C" NOT NULL,
  display_name text,
  audit_user_id text COLLATE "C",
  impersonator text COLLATE "C",
  details text,
  raw_details text,
  correlation_type text COLLATE "C",
  correlation_id text COLLATE "C",
  access_method text COLLATE "C",
  region text COLLATE "C",
  source text COLLATE "C" NOT NULL,
  stored_at bigint NOT NULL,
  search tsvector NOT NULL
) PARTITION BY RANGE (ts);

CREATE INDEX events_by_time ON events (customer_id, ts);
CREATE INDEX events_by_type ON events (customer_id, event_type, ts);
CREATE INDEX events_by_entity_type ON events (customer_id, entity_type_key, ts);
CREATE INDEX events_by_actor ON events (customer_id, audit_user_id, ts);
CREATE INDEX events_by_entity ON events (customer_id, entity_key, entity_type_key, service, ts);
-- Partial: impersonation is rare, so this stays tiny and costs next to nothing on import.
CREATE INDEX events_by_impersonator ON events (customer_id, impersonator) WHERE impersonator IS NOT NULL;
CREATE INDEX events_search ON events USING gin (search);

CREATE TABLE event_keys (
  customer_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  fingerprint bytea NOT NULL,
  ts bigint NOT NULL,
  PRIMARY KEY (customer_id, id),
  UNIQUE (customer_id, fingerprint)
);

CREATE TABLE kv (
  key text COLLATE "C" PRIMARY KEY,
  value text NOT NULL,
  updated_at bigint NOT NULL
);
`;

/**
 * Ordered; append new versions, never edit an applied one. The alerts outbox (claimed with FOR
 * UPDATE SKIP LOCKED and a lease) arrives as version 2, a plain table beside these.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'events (monthly partitions), keys, kv', sql: initialSchema },
];

/** Advisory lock classes (first key); the second key is the schema's hash, so schemas migrate apart. */
export const MIGRATION_LOCK = 0x61756d67; // 'aumg'
export const PARTITION_LOCK = 0x61757074; // 'aupt'

/** Locks one of our advisory locks for this schema; `xact` ones release at commit. */
export function advisoryLockSql(kind: 'session' | 'xact', lockClass: number): string {
  const fn = kind === 'session' ? 'pg_advisory_lock' : 'pg_advisory_xact_lock';
  return `SELECT ${fn}(${lockClass}, hashtext(coalesce(current_schema(), '')))`;
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
