import pg from 'pg';
import { advisoryLockSql, PARTITION_LOCK } from './locks.js';
import { inTransaction } from './pool.js';

/** One monthly partition of `events`: rows with from ≤ ts < to (epoch ms, UTC months). */
export interface MonthPartition {
  name: string;
  from: number;
  to: number;
}

/** Months created beyond the current one at open, so the first events of a month never wait on DDL. */
const MONTHS_AHEAD = 1;

/** Start of the UTC month holding `ts`. setUTCFullYear, unlike Date.UTC, keeps years 0–99 as they are. */
export function monthStart(ts: number, addMonths = 0): number {
  const date = new Date(ts);
  const start = new Date(0);
  start.setUTCFullYear(date.getUTCFullYear(), date.getUTCMonth() + addMonths, 1);
  return start.getTime();
}

export function partitionFor(ts: number): MonthPartition {
  const from = monthStart(ts);
  const date = new Date(from);
  const name = `events_p${String(date.getUTCFullYear()).padStart(4, '0')}_${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
  return { name, from, to: monthStart(from, 1) };
}

const BOUND = /FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)/;

/**
 * Which monthly partitions exist, remembered per process so append asks the catalog only for a month
 * it has not seen. Creation is serialised across instances by a transaction advisory lock, and is
 * idempotent, so instances racing for a new month create it once.
 */
export class Partitions {
  private readonly known = new Set<number>();

  constructor(private readonly pool: pg.Pool) {}

  /** Every partition of `events`, oldest first, read from the catalog. */
  async list(): Promise<MonthPartition[]> {
    const result = await this.pool.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'events'::regclass`,
    );
    const partitions: MonthPartition[] = [];
    for (const row of result.rows) {
      const match = BOUND.exec(row.bound);
      if (match) partitions.push({ name: row.name, from: Number(match[1]), to: Number(match[2]) });
    }
    return partitions.sort((a, b) => a.from - b.from);
  }

  /** Re-reads the catalog (at open, and when another instance may have dropped a partition). */
  async refresh(): Promise<void> {
    this.known.clear();
    for (const partition of await this.list()) this.known.add(partition.from);
  }

  /** The current month and the next, created if missing. */
  async createAhead(now: number): Promise<void> {
    const months = Array.from({ length: MONTHS_AHEAD + 1 }, (_, i) => monthStart(now, i));
    await this.ensure(months);
  }

  /** Makes sure a partition exists for every given timestamp. */
  async ensure(timestamps: Iterable<number>): Promise<void> {
    const missing = new Map<number, MonthPartition>();
    for (const ts of timestamps) {
      const from = monthStart(ts);
      if (!this.known.has(from) && !missing.has(from)) missing.set(from, partitionFor(from));
    }
    if (missing.size === 0) return;
    await inTransaction(this.pool, async (client) => {
      await client.query(advisoryLockSql('xact', PARTITION_LOCK));
      // Creating a partition locks `events` briefly; never queue behind a long query holding it up.
      await client.query("SET LOCAL lock_timeout = '10s'");
      for (const partition of missing.values()) {
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${pg.escapeIdentifier(partition.name)} PARTITION OF events ` +
            `FOR VALUES FROM (${partition.from}) TO (${partition.to})`,
        );
      }
    });
    for (const from of missing.keys()) this.known.add(from);
  }

  /**
   * Drops one whole partition and the dedupe keys of its events, in one transaction; returns how many
   * events it held. The lock timeout keeps a busy `events` from stalling behind the drop's lock.
   */
  async drop(partition: MonthPartition): Promise<number> {
    const held = await inTransaction(this.pool, async (client) => {
      await client.query(advisoryLockSql('xact', PARTITION_LOCK));
      await client.query("SET LOCAL lock_timeout = '10s'");
      await client.query('SET LOCAL statement_timeout = 0');
      const keys = await client.query(
        `DELETE FROM event_keys k USING ${pg.escapeIdentifier(partition.name)} e WHERE k.customer_id = e.customer_id AND k.id = e.id`,
      );
      await client.query(`DROP TABLE ${pg.escapeIdentifier(partition.name)}`);
      return keys.rowCount ?? 0;
    });
    this.known.delete(partition.from);
    return held;
  }
}
