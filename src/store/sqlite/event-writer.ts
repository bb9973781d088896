import type Database from 'better-sqlite3';
import { eventChainHash } from '../../domain/chain-hash.js';
import type { AppendOutcome } from '../event-store.js';
import { ChainHeads, INSERT_LINK_SQL } from './chain.js';
import { readState, writeState } from './kv.js';
import { ftsParams, INSERT_EVENT_SQL, INSERT_FTS_SQL, insertRowToEvent } from './rows.js';
import type { StatementCache } from './statements.js';
import { INSERT_TENANT_VALUE_SQL, TenantValueSet } from './tenant-values.js';
import { SeqDayRanges, UPSERT_SEQ_DAY_SQL } from './text-slices.js';

/**
 * SQLite hands out max(seq) + 1, so a prune that deletes the highest seq would let the next event
 * take a seq the alert matcher has already passed, and it would never alert. Prune records the
 * highest seq ever handed out here first; an insert that gets a seq at or below it is moved above.
 */
const SEQ_FLOOR_KEY = 'store:seq-floor';

export interface EventWriter {
  /**
   * Stores INSERT_EVENT_SQL rows (stored_at appended) in one transaction; one outcome per row.
   * `details` are the rows' parsed details, when the caller has them (the chain hashes them).
   */
  insert(rows: unknown[][], details?: readonly unknown[]): AppendOutcome[];
  /** Before a prune: seqs up to the current highest are never handed out again. */
  keepSeqsAbove(): void;
}

/**
 * One transaction per batch: each event row, its full-text entry under the row's seq and its link in
 * the tenant's chain (chain.ts), then the batch's pick-list values, per-day seq ranges and chain heads. INSERT OR IGNORE skips a row clashing on
 * (customer_id, id) or (customer_id, fingerprint), earlier rows of the same batch included;
 * `changes` tells which happened.
 */
export function createEventWriter(db: Database.Database, statements: StatementCache): EventWriter {
  const insertEvent = db.prepare(INSERT_EVENT_SQL);
  const insertFts = db.prepare(INSERT_FTS_SQL);
  const insertValue = db.prepare(INSERT_TENANT_VALUE_SQL);
  const upsertSeqDay = db.prepare(UPSERT_SEQ_DAY_SQL);
  const moveSeq = db.prepare('UPDATE events SET seq = ? WHERE seq = ?');
  const latestSeq = db.prepare('SELECT coalesce(max(seq), 0) FROM events').pluck();
  const insertLink = db.prepare(INSERT_LINK_SQL);
  let seqFloor = readState<number>(statements, SEQ_FLOOR_KEY) ?? 0;

  const insert = db.transaction((rows: unknown[][], details?: readonly unknown[]) => {
    const values = new TenantValueSet();
    const days = new SeqDayRanges();
    const heads = new ChainHeads(statements, 'chain started with its first event');
    const outcomes = rows.map((row, index): AppendOutcome => {
      const result = insertEvent.run(row);
      if (result.changes !== 1) return 'duplicate';
      let seq = Number(result.lastInsertRowid);
      if (seq <= seqFloor) {
        // Rare (the first insert after pruning the newest events); later inserts follow from here.
        moveSeq.run(seqFloor + 1, seq);
        seq = seqFloor + 1;
      }
      insertFts.run(ftsParams(seq, row));
      const customerId = row[0] as string;
      const parsed = details && row[11] !== null ? { value: details[index] } : undefined;
      const link = heads.next(customerId, (previous) => {
        try {
          return eventChainHash(previous, insertRowToEvent(row, parsed));
        } catch {
          // A value JSON writes differently (NaN as null): hash the details as stored.
          return eventChainHash(previous, insertRowToEvent(row));
        }
      });
      insertLink.run(customerId, link.pos, row[1], row[2], link.hash, seq);
      values.addRow(row);
      days.add(row[0] as string, row[2] as number, seq);
      return 'inserted';
    });
    for (const value of values) insertValue.run(value);
    for (const day of days) upsertSeqDay.run(day);
    heads.save();
    return outcomes;
  });

  return {
    insert: (rows, details) => insert(rows, details),
    keepSeqsAbove() {
      const latest = latestSeq.get() as number;
      if (latest <= seqFloor) return;
      seqFloor = latest;
      writeState(statements, SEQ_FLOOR_KEY, latest);
    },
  };
}
