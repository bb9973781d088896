import type pg from 'pg';
import type { AuditEvent } from '../../domain/audit-event.js';
import type { AppendOutcome, AppendResult } from '../event-store.js';
import { APPEND_SQL } from './append-rows.js';
import { linkStored, type StoredForChain } from './chain.js';
import type { ChunkPreparer } from './chunk-preparer.js';
import type { Partitions } from './partitions.js';

/**
 * Every call is one transaction, so all-or-nothing, in one batch: BEGIN travels with the batch's
 * number, which the chunks' keys take (currval). Commits wait for the WAL flush, as every append's
 * do: an ingest client told "accepted" must find its events after a crash. (Asynchronous commit
 * saved ~4% of a 1,000-event call; not worth that.)
 */
export const BEGIN_BATCH = "BEGIN; SELECT nextval('append_batch_seq')";

/**
 * The last statement of a call that stored something, sent with its COMMIT: reserves seqs for the
 * call's first `span` positions (schema.ts, version 7). The counter row's lock is the only thing appends
 * wait for each other on, and only from here to the commit. `span` is a whole number we computed.
 */
export function reserveSeqsAndCommit(span: number): string {
  return (
    `WITH reserved AS (UPDATE append_counter SET next_seq = next_seq + ${span} RETURNING next_seq - ${span} AS first_seq) ` +
    `INSERT INTO append_commits (batch, first_seq, last_seq) SELECT currval('append_batch_seq'), first_seq, first_seq + ${span - 1} FROM reserved; COMMIT`
  );
}

const NO_PARTITION = '23514';
const DEADLOCK = '40P01';

/** Named, so each connection parses and plans it once (planning the CTEs over the partitions costs ms). */
function appendQuery(values: unknown[]): pg.QueryConfig {
  return { name: 'auditbot-append', text: APPEND_SQL, values };
}

type InsertedRows = pg.QueryResult<{ stored: number[] }>;

/** Marks the chunk's stored events (their call indexes); returns the highest (-1 when none). */
function record(result: InsertedRows, outcomes: AppendOutcome[]): number {
  let highest = -1;
  for (const index of result.rows[0]?.stored ?? []) {
    outcomes[index] = 'inserted';
    highest = Math.max(highest, index);
  }
  return highest;
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

/** The call's stored events in call order, as the chain links them. */
function storedForChain(
  events: readonly AuditEvent[],
  outcomes: readonly AppendOutcome[],
  canonicals: ReadonlyMap<number, string>,
): StoredForChain[] {
  const stored: StoredForChain[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome !== 'inserted') return;
    const event = events[index] as AuditEvent;
    const canonical = canonicals.get(index);
    if (canonical === undefined) throw new Error(`Event ${index} was stored without its canonical form`);
    // As the row stores them: a lone surrogate as U+FFFD (sqlite/rows.ts).
    stored.push({
      customerId: event.customerId.toWellFormed(),
      id: event.id.toWellFormed(),
      ts: Date.parse(event.auditTimestamp),
      canonical,
    });
  });
  return stored;
}

/**
 * A call's chunks on one connection in one transaction. Each chunk is prepared while the previous
 * one's statement (or BEGIN) runs; one statement at a time is in flight (pg deprecates queueing a
 * query on a busy client).
 */
async function appendInTransaction(
  pool: pg.Pool,
  preparer: ChunkPreparer,
  events: readonly AuditEvent[],
  outcomes: AppendOutcome[],
): Promise<void> {
  const client = await pool.connect();
  let inFlight: Promise<void> | undefined;
  /** Seqs to reserve: up to the last stored event's position, so the newest seq is a stored event's. */
  let span = 0;
  let failed = false;
  const canonicals = new Map<number, string>();
  try {
    inFlight = client.query(BEGIN_BATCH).then(() => undefined);
    inFlight.catch(() => undefined);
    for await (const chunk of preparer.chunks(events, Date.now())) {
      await inFlight;
      inFlight = undefined;
      if (chunk.sent === 0) continue;
      for (let row = 0; row < chunk.indexes.length; row++) {
        canonicals.set(chunk.indexes[row] as number, chunk.canonicals[row] as string);
      }
      inFlight = client.query(appendQuery(chunk.values)).then((result: InsertedRows) => {
        span = Math.max(span, record(result, outcomes) + 1);
      });
      // Marked handled at once: should the next chunk fail validation, this one is awaited in `catch`.
      inFlight.catch(() => undefined);
    }
    await inFlight;
    await linkStored(client, storedForChain(events, outcomes, canonicals), 'chain started with its first event');
    await client.query(span > 0 ? reserveSeqsAndCommit(span) : 'COMMIT');
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
  preparer: ChunkPreparer,
  events: readonly AuditEvent[],
): Promise<AppendResult> {
  const timestamps = timestampsOf(events);
  await partitions.ensure(timestamps);
  let outcomes: AppendOutcome[] | undefined;
  for (let attempt = 1; outcomes === undefined; attempt++) {
    try {
      const attemptOutcomes: AppendOutcome[] = events.map(() => 'duplicate');
      await appendInTransaction(pool, preparer, events, attemptOutcomes);
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
