import type pg from 'pg';
import { type QuarantinedRecord, type QuarantineSummary, quarantineKey } from '../quarantine.js';

/** Keeps each record once per tenant, source and raw text (one statement); returns how many were new. */
export async function writeQuarantine(pool: pg.Pool, records: readonly QuarantinedRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const result = await pool.query(
    `INSERT INTO quarantine (customer_id, key, source, reason, raw, received_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
     ON CONFLICT DO NOTHING`,
    [
      records.map((r) => r.customerId),
      records.map((r) => quarantineKey(r)),
      records.map((r) => r.source),
      records.map((r) => r.reason),
      // PostgreSQL text cannot hold NUL; the escape keeps the record readable.
      records.map((r) => r.raw.replaceAll('\u0000', '\\u0000')),
      records.map((r) => r.receivedAt),
    ],
  );
  return result.rowCount ?? 0;
}

export async function readQuarantine(pool: pg.Pool, customerId: string, limit: number): Promise<QuarantineSummary> {
  const [count, rows] = await Promise.all([
    pool.query<{ n: number }>('SELECT count(*)::int AS n FROM quarantine WHERE customer_id = $1', [customerId]),
    pool.query<{ customer_id: string; source: string; reason: string; raw: string; received_at: string }>(
      'SELECT customer_id, source, reason, raw, received_at FROM quarantine WHERE customer_id = $1 ORDER BY received_at DESC, key LIMIT $2',
      [customerId, limit],
    ),
  ]);
  return {
    count: count.rows[0]?.n ?? 0,
    recent: rows.rows.map((row) => ({
      customerId: row.customer_id,
      source: row.source,
      reason: row.reason,
      raw: row.raw,
      receivedAt: Number(row.received_at),
    })),
  };
}
