import type pg from 'pg';
import { searchLines, searchVectorSql } from './search-text.js';

/*
 * Fills the search lines of events stored before schema version 9 (or by an older instance since),
 * a few hundred rows a transaction, partition by partition, in the background of an open store:
 * nothing is locked for long, and a restart simply carries on where the NULLs are. The tsvector is
 * rebuilt from the same words, so both columns follow today's tokeniser.
 */
const BATCH = 500;
/** The details' first characters are all search indexes (MAX_INDEXED_CHARS): no need to read 1 MB. */
const READ_CHARS = 100_000;

interface UnfilledRow {
  customer_id: string;
  id: string;
  ts: string;
  fields: (string | null)[];
}

async function partitionsOf(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ name: string }>(
    "SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = 'events'::regclass ORDER BY 1",
  );
  return result.rows.map((row) => row.name);
}

/** One batch of one partition; returns how many rows it filled (0: the partition is done). */
async function fillBatch(pool: pg.Pool, partition: string): Promise<number> {
  const unfilled = await pool.query<UnfilledRow>(
    `SELECT customer_id, id, ts, ARRAY[display_name, entity_key, entity_type, audit_user_id, impersonator,
       left(coalesce(raw_details, details), ${READ_CHARS})] AS fields
     FROM ${partition} WHERE search_words IS NULL LIMIT ${BATCH}`,
  );
  if (unfilled.rows.length === 0) return 0;
  const lines = unfilled.rows.map((row) => searchLines(row.fields));
  // (customer_id, ts) leads an index of every partition: each row is found without a scan.
  const updated = await pool.query(
    `UPDATE ${partition} e SET search_words = u.lines, search = ${searchVectorSql('u.lines')}
     FROM unnest($1::text[], $2::text[], $3::int8[], $4::text[]) AS u(customer_id, id, ts, lines)
     WHERE e.customer_id = u.customer_id AND e.ts = u.ts AND e.id = u.id AND e.search_words IS NULL`,
    [unfilled.rows.map((r) => r.customer_id), unfilled.rows.map((r) => r.id), unfilled.rows.map((r) => r.ts), lines],
  );
  // None updated (rows gone, or a key that cannot match): stop rather than read them forever.
  return updated.rowCount ?? 0;
}

/** Fills every unfilled row, unless `stop.requested` turns true; returns how many were filled. */
export async function fillSearchLines(pool: pg.Pool, stop: { requested: boolean }): Promise<number> {
  let filled = 0;
  for (const partition of await partitionsOf(pool)) {
    for (let n = await fillBatch(pool, partition); n > 0 && !stop.requested; n = await fillBatch(pool, partition)) {
      filled += n;
    }
    if (stop.requested) break;
  }
  return filled;
}
