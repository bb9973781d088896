import type pg from 'pg';
import type { SequencedEvent } from '../alert-outbox.js';
import { assertPositiveInteger } from '../paging.js';
import { EVENT_COLUMNS, type EventRow, rowToEvent } from '../sqlite/rows.js';

/*
 * Reading in storage order (schema.ts, version 7): an event's seq is its batch's first_seq plus its
 * position in the call. Committed batches hold disjoint, increasing ranges, so "after seq N" is the
 * batches whose range ends past N, in range order, and within each the keys past N.
 */

/** The batches whose range ends past the cursor, oldest first; few rows (one per append call). */
const BATCHES_AFTER_SQL =
  'SELECT batch, first_seq, last_seq FROM append_commits WHERE last_seq > $1 ORDER BY last_seq LIMIT $2';

const EVENT_FIELDS = EVENT_COLUMNS.split(', ')
  .map((column) => `e.${column}`)
  .join(', ');

// The keys of the chosen batches past the cursor, at most $4 from each (an index walk per batch, so
// a huge batch, such as the one a migration made of every older key, is never read whole), then their
// rows: each join probe is pruned to one partition by ts.
const KEYS_AFTER_SQL =
  `SELECT k.seq, ${EVENT_FIELDS} FROM (` +
  'SELECT k.customer_id, k.id, k.ts, b.first_seq + k.idx AS seq ' +
  'FROM unnest($1::int8[], $2::int8[]) AS b(batch, first_seq) CROSS JOIN LATERAL (' +
  'SELECT customer_id, id, ts, idx FROM event_keys WHERE batch = b.batch AND idx > $3 - b.first_seq ' +
  'ORDER BY idx LIMIT $4) k ' +
  'ORDER BY seq LIMIT $4) k ' +
  'JOIN events e ON e.customer_id = k.customer_id AND e.ts = k.ts AND e.id = k.id ORDER BY k.seq';

/** int8 columns arrive as numbers (pool.ts). */
interface Batch {
  batch: number;
  first_seq: number;
  last_seq: number;
}

/**
 * The batches to read for `limit` events after `cursor`: the oldest ones until their ranges past the
 * cursor cover `limit` seqs (a range may have gaps — duplicates, pruned events — never more events).
 */
function batchesCovering(batches: readonly Batch[], cursor: number, limit: number): Batch[] {
  const chosen: Batch[] = [];
  let covered = 0;
  for (const batch of batches) {
    chosen.push(batch);
    covered += batch.last_seq - Math.max(batch.first_seq, cursor + 1) + 1;
    if (covered >= limit) break;
  }
  return chosen;
}

/** At most `limit` events stored after `cursor`, in seq order. */
export async function eventsAfter(pool: pg.Pool, cursor: number, limit: number): Promise<SequencedEvent[]> {
  assertPositiveInteger(limit, 'limit');
  const found: SequencedEvent[] = [];
  let from = cursor;
  while (found.length < limit) {
    const wanted = limit - found.length;
    const batches = (await pool.query<Batch>(BATCHES_AFTER_SQL, [from, wanted])).rows;
    if (batches.length === 0) break;
    const chosen = batchesCovering(batches, from, wanted);
    const rows = (
      await pool.query({
        text: KEYS_AFTER_SQL,
        values: [chosen.map((b) => b.batch), chosen.map((b) => b.first_seq), from, wanted],
        rowMode: 'array',
      })
    ).rows as [number, ...EventRow][];
    for (const [seq, ...row] of rows) found.push({ seq, event: rowToEvent(row as EventRow) });
    // Fewer rows than asked: the chosen ranges had gaps; go on after the last of them.
    if (rows.length === wanted) break;
    from = (chosen[chosen.length - 1] as Batch).last_seq;
  }
  return found;
}

/** The highest seq handed out so far (0 when nothing was ever stored). */
export async function latestSeq(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ seq: number }>('SELECT next_seq - 1 AS seq FROM append_counter');
  return result.rows[0]?.seq ?? 0;
}

/** Forgets batches none of whose events remain (after a prune). */
export async function forgetEmptyBatches(pool: pg.Pool | pg.PoolClient): Promise<void> {
  await pool.query(
    'DELETE FROM append_commits b WHERE NOT EXISTS (SELECT 1 FROM event_keys k WHERE k.batch = b.batch)',
  );
}
