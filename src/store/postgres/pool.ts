import pg from 'pg';
import { AuditbotError } from '../../errors.js';
import { connectionFailed, isStoreUnavailable, storeUnavailableError } from '../unavailable.js';

export interface PostgresStoreOptions {
  /** postgres:// or postgresql:// URL; `?schema=name` puts auditbot's tables in that schema. */
  connectionString: string;
  /** Schema for every table (created if missing); overrides `?schema=`. Default: the role's search_path. */
  schema?: string;
  /** Connections per instance (default 10; also `?pool_max=`). N instances use up to N× this many. */
  poolMax?: number;
  /** How long stats/actors/facets are reused when only another instance wrote (default 10 s). */
  summaryTtlMs?: number;
  /** How long one search or count may run (default QUERY_DEADLINE_MS). */
  queryDeadlineMs?: number;
}

export interface PoolTarget {
  pool: pg.Pool;
  schema: string | undefined;
  /** host:port/database, never the password: for error messages and logs. */
  label: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const INT8_OID = 20;

/**
 * bigint columns here are epoch milliseconds and counts, always below 2^53: parse them to numbers
 * for this pool only (pg's default is strings, and other users of `pg` keep it).
 */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID && format !== 'binary'
      ? Number
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function positiveInt(value: string | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new AuditbotError('config_invalid', `DATABASE_URL ${name} must be a positive whole number, not "${value}"`);
  return n;
}

/** Splits auditbot's own URL parameters (schema, pool_max) from what `pg` understands. */
export function parseDatabaseUrl(connectionString: string): { url: URL; schema?: string; poolMax?: number } {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    throw new AuditbotError('config_invalid', 'DATABASE_URL is not a valid URL.', {
      hint: 'Use postgres://user:password@host:5432/database (percent-encode special characters in the password).',
    });
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  const poolMax = positiveInt(url.searchParams.get('pool_max'), 'pool_max');
  url.searchParams.delete('schema');
  url.searchParams.delete('pool_max');
  return { url, ...(schema === undefined ? {} : { schema }), ...(poolMax === undefined ? {} : { poolMax }) };
}

/**
 * A pool with bounded size and timeouts: connecting gives up after 10 s, a statement after 30 s
 * (prune and migrations lift it for themselves), a session idle inside a transaction is ended after
 * 60 s so a stuck instance cannot hold locks forever, idle connections close after 30 s. search_path
 * is set in the startup packet, so every pooled connection is in the schema at no extra round trip.
 */
export function createPool(options: PostgresStoreOptions): PoolTarget {
  const parsed = parseDatabaseUrl(options.connectionString);
  const schema = options.schema ?? parsed.schema;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new AuditbotError('config_invalid', `PostgreSQL schema "${schema}" is not a plain lower-case identifier.`, {
      hint: 'Use letters, digits and underscores, starting with a letter or underscore (e.g. ?schema=auditbot).',
    });
  }
  const label = `${parsed.url.hostname || 'localhost'}:${parsed.url.port || '5432'}${parsed.url.pathname}`;
  const pool = new pg.Pool({
    connectionString: parsed.url.toString(),
    max: options.poolMax ?? parsed.poolMax ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 30_000,
    idle_in_transaction_session_timeout: 60_000,
    application_name: 'auditbot',
    keepAlive: true,
    types,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle connection dropped by the server (restart, failover) is discarded by the pool and the next
  // query opens a new one; without a listener the 'error' event would crash the process.
  pool.on('error', () => undefined);
  return { pool, schema, label };
}

/** Turns "cannot connect" into an error that says where and what to check. */
export function unavailable(label: string, error: unknown): AuditbotError {
  const code = (error as { code?: string }).code;
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  return new AuditbotError('store_unavailable', `Cannot use PostgreSQL at ${label} (${reason}).`, {
    hint: 'Check DATABASE_URL, that the server is running and reachable, and that the role may connect and create tables.',
    cause: error,
  });
}

/** Runs `work` in a transaction on one pooled connection; a failed connection is not reused. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  // A failure to get a connection (refused, the pool's connect timeout) is an outage, whatever its code.
  const client = await pool.connect().catch((error: unknown) => {
    throw isStoreUnavailable(error) ? storeUnavailableError(error) : connectionFailed(error);
  });
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    await client.query('ROLLBACK').then(
      () => {
        failure = undefined;
      },
      () => undefined,
    );
    throw error;
  } finally {
    client.release(failure);
  }
}
