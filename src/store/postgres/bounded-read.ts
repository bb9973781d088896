import type pg from 'pg';
import { queryTooBroad } from '../query-deadline.js';
import { inTransaction } from './pool.js';

/** PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout. */
const QUERY_CANCELED = '57014';

/** A search or count, stopped by the server at QUERY_DEADLINE_MS (query-deadline.ts). */
export async function boundedRead(
  pool: pg.Pool,
  query: pg.QueryArrayConfig,
  deadlineMs: number,
): Promise<pg.QueryArrayResult> {
  try {
    return await inTransaction(pool, async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(deadlineMs))}`);
      return client.query(query);
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === QUERY_CANCELED) throw queryTooBroad(deadlineMs, error);
    throw error;
  }
}
