import type pg from 'pg';
import type { AuditEvent } from '../../domain/audit-event.js';
import type { AppendOutcome, AppendResult } from '../event-store.js';
import { APPEND_SQL, type AppendChunk, BatchDedupe, prepareChunk } from './append-rows.js';
import type { Partitions } from './partitions.js';

/**
 * Events per statement. A bigger call is sent in chunks inside one transaction: PostgreSQL stores one
 * chunk while Node validates, fingerprints and tokenises the next, so on a machine with a core to
 * spare the two halves of the work overlap instead of taking turns.
 */
const CHUNK = 250;
/**
 * The first chunk of a call is prepared while nothing else runs (only BEGIN), so it is kept small and
 * the chunks after it double up to CHUNK: Node prepares an event in about half the time PostgreSQL
 * takes to store one, so each chunk is ready before the previous one is stored. Measured on 1,000-event
 * calls: the unoverlapped preparation at the start of a call dropped from ~10% of the call to ~2%.
 */
const FIRST_CHUNK = 64;

/**
 * Commits wait for the WAL flush, as every append's do: an ingest client told "accepted" must find
 * its events after a crash. (Asynchronous commit saved ~4% of a 1,000-event call; not worth that.)
 */
const BEGIN_BULK = 'BEGIN';

const NO_PARTITION = '23514';
const DEADLOCK = '40P01';

/** Named, so each connection parses and plans it once (planning the CTEs over the partitions costs ms). */
function appendQuery(values: unknown[]): pg.QueryConfig {
  return { name: 'auditbot-append', text: APPEND_SQL, values };
}

type InsertedRows = pg.QueryResult<{ customer_id: string; id: string }>;

function record(result: InsertedRows, chunk: AppendChunk, outcomes: AppendOutcome[]): void {
  const inserted = new Set(result.rows.map((row) => `${row.customer_id}\u0000${row.id}`));
  for (const { index, key } of chunk.sent) if (inserted.has(key)) outcomes[index] = 'inserted';
}

/** Timestamps of the events, for their partitions; invalid ones are left to validation to report. */
function timestampsOf(events: readonly AuditEvent[]): number[] {
  const timestamps: number[] = [];
  for (const event of events) {
    const ts = Date.parse(event?.auditTimestamp);
    if (Number.isFinite(ts)) timestamps.push(ts);
  }
  return timestamps;
}

/** A call of at most one chunk: one statement, atomic by itself, on any pooled connection. */
async function appendSmall(pool: pg.Pool, events: readonly AuditEvent[], outcomes: AppendOutcome[]): Promise<void> {
  const chunk = prepareChunk(events, 0, new BatchDedupe(), Date.now());
  if (chunk.sent.length > 0) record(await pool.query(appendQuery(chunk.values)), chunk, outcomes);
}

/**
 * A bigger call: chunks on one connection in one explicit transaction (BEGIN … COMMIT), so still
 * all-or-nothing. Each chunk is prepared while the previous one's statement (or BEGIN) runs; one
 * statement at a time is in flight (pg deprecates queueing a query on a busy client).
 */
async function appendChunked(pool: pg.Pool, events: readonly AuditEvent[], outcomes: AppendOutcome[]): Promise<void> {
  const client = await pool.connect();
  let inFlight: Promise<void> | undefined;
  let failed = false;
  try {
    // BEGIN travels while the first chunk is prepared; it is awaited like a chunk's statement.
    inFlight = client.query(BEGIN_BULK).then(() => undefined);
    inFlight.catch(() => undefined);
    const dedupe = new BatchDedupe();
    const storedAt = Date.now();
    for (let offset = 0, size = FIRST_CHUNK; offset < events.length; offset += size, size = Math.min(CHUNK, size * 2)) {
      const chunk = prepareChunk(events.slice(offset, offset + size), offset, dedupe, storedAt);
      await inFlight;
      inFlight = undefined;
      if (chunk.sent.length === 0) continue;
      inFlight = client
        .query(appendQuery(chunk.values))
        .then((result: InsertedRows) => record(result, chunk, outcomes));
      // Marked handled at once: should the next chunk fail validation, this one is awaited in `catch`.
      inFlight.catch(() => undefined);
    }
    await inFlight;
    await client.query('COMMIT');
  } catch (error) {
    failed = true;
    await inFlight?.catch(() => undefined);
    await client.query('ROLLBACK').then(
      () => {
        failed = false;
      },
      () => undefined,
    );
    throw error;
  } finally {
    client.release(failed);
  }
}

/** Attempts at a call that keeps losing deadlocks to other instances' appends. */
const ATTEMPTS = 3;

/**
 * Stores a call's events, creating the monthly partitions they need first. A partition dropped
 * meanwhile by another instance's prune (our cache says it exists) and a deadlock with another
 * instance appending the same events in another order are retried: a failed attempt stored nothing.
 */
export async function appendBatch(
  pool: pg.Pool,
  partitions: Partitions,
  events: readonly AuditEvent[],
): Promise<AppendResult> {
  const timestamps = timestampsOf(events);
  await partitions.ensure(timestamps);
  let outcomes: AppendOutcome[] | undefined;
  for (let attempt = 1; outcomes === undefined; attempt++) {
    try {
      const attemptOutcomes: AppendOutcome[] = events.map(() => 'duplicate');
      if (events.length <= CHUNK) await appendSmall(pool, events, attemptOutcomes);
      else await appendChunked(pool, events, attemptOutcomes);
      outcomes = attemptOutcomes;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if ((code !== NO_PARTITION && code !== DEADLOCK) || attempt === ATTEMPTS) throw error;
      if (code === NO_PARTITION) await partitions.refresh();
      await partitions.ensure(timestamps);
    }
  }
  let inserted = 0;
  for (const outcome of outcomes) if (outcome === 'inserted') inserted += 1;
  return { inserted, duplicate: outcomes.length - inserted, outcomes };
}
