import type pg from 'pg';
import type { AuditEvent } from '../../domain/audit-event.js';
import { type CheckpointRow, checkpointOfRow, checkpointValues, type HeadRow, headOfRow } from '../chain-rows.js';
import type { ChainHead, ChainLink, EventChain } from '../event-chain.js';
import { EVENT_COLUMNS, type EventRow, rowToEvent } from '../sqlite/rows.js';

type LinkRow = [number, string, number, string, boolean];

function linkOfRow(row: readonly unknown[]): Omit<ChainLink, 'event'> {
  const [pos, eventId, ts, hash, pruned] = row as LinkRow;
  return { position: Number(pos), eventId, ts: Number(ts), hash, pruned };
}

const LINK_COLUMNS = 'c.pos::float8, c.event_id, c.ts::float8, c.hash, c.pruned';
const EVENT_OF_LINK = EVENT_COLUMNS.split(', ')
  .map((column) => `e.${column}`)
  .join(', ');

const CHECKPOINT_COLUMNS =
  'customer_id, first_pos::float8 AS first_pos, last_pos::float8 AS last_pos, head_hash, count::float8 AS count, time, key_id, signature';

function array(text: string, values: unknown[]): pg.QueryArrayConfig {
  return { text, values, rowMode: 'array' };
}

/** The chain's reads and checkpoints on PostgreSQL. */
export function createPostgresChain(pool: pg.Pool): EventChain {
  return {
    async tenants() {
      const result = await pool.query<{ customer_id: string }>(
        'SELECT customer_id FROM chain_heads ORDER BY customer_id',
      );
      return result.rows.map((row) => row.customer_id);
    },
    async head(customerId): Promise<ChainHead | null> {
      const result = await pool.query<HeadRow>(
        'SELECT pos::float8 AS pos, hash, genesis_pos::float8 AS genesis_pos, genesis_hash, genesis_since, genesis_note, ' +
          'pruned_before::float8 AS pruned_before FROM chain_heads WHERE customer_id = $1',
        [customerId],
      );
      const row = result.rows[0];
      return row ? headOfRow(customerId, row) : null;
    },
    async links(customerId, afterPosition, limit) {
      const result = await pool.query(
        array(
          `SELECT ${LINK_COLUMNS}, ${EVENT_OF_LINK} FROM event_chain c ` +
            'LEFT JOIN events e ON e.customer_id = c.customer_id AND e.ts = c.ts AND e.id = c.event_id ' +
            'WHERE c.customer_id = $1 AND c.pos > $2 ORDER BY c.pos LIMIT $3',
          [customerId, afterPosition, limit],
        ),
      );
      return result.rows.map((row) => {
        const link = linkOfRow(row.slice(0, 5));
        const event = row.slice(5) as unknown as EventRow;
        try {
          return { ...link, event: event[0] === null ? null : rowToEvent(event) };
        } catch (error) {
          return { ...link, event: null, unreadable: error instanceof Error ? error.message : String(error) };
        }
      });
    },
    async linkAt(customerId, position) {
      const result = await pool.query(
        array(`SELECT ${LINK_COLUMNS} FROM event_chain c WHERE c.customer_id = $1 AND c.pos = $2`, [
          customerId,
          position,
        ]),
      );
      return result.rows[0] ? linkOfRow(result.rows[0]) : null;
    },
    async linkOf(customerId, eventId) {
      const result = await pool.query(
        array(
          `SELECT ${LINK_COLUMNS} FROM event_chain c WHERE c.customer_id = $1 AND c.event_id = $2 ORDER BY c.pos LIMIT 1`,
          [customerId, eventId],
        ),
      );
      return result.rows[0] ? linkOfRow(result.rows[0]) : null;
    },
    async linksOf(customerId, eventIds) {
      const found = new Map<string, Omit<ChainLink, 'event'>>();
      for (let from = 0; from < eventIds.length; from += 10_000) {
        const result = await pool.query(
          array(`SELECT ${LINK_COLUMNS} FROM event_chain c WHERE c.customer_id = $1 AND c.event_id = ANY($2::text[])`, [
            customerId,
            eventIds.slice(from, from + 10_000),
          ]),
        );
        for (const row of result.rows) {
          const link = linkOfRow(row);
          found.set(link.eventId, link);
        }
      }
      return found;
    },
    async storedEvents(customerId) {
      const result = await pool.query<{ n: number }>(
        'SELECT count(*)::float8 AS n FROM events WHERE customer_id = $1',
        [customerId],
      );
      return result.rows[0]?.n ?? 0;
    },
    async unchained(customerId, limit): Promise<AuditEvent[]> {
      const result = await pool.query(
        array(
          `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.customer_id = $1 AND NOT EXISTS ` +
            '(SELECT 1 FROM event_chain c WHERE c.customer_id = e.customer_id AND c.event_id = e.id) LIMIT $2',
          [customerId, limit],
        ),
      );
      return result.rows.map((row) => rowToEvent(row as unknown as EventRow));
    },
    async checkpoints(customerId, options = {}) {
      const result = await pool.query<CheckpointRow>(
        `SELECT ${CHECKPOINT_COLUMNS} FROM chain_checkpoints WHERE customer_id = $1 AND time >= $2 ORDER BY last_pos`,
        [customerId, options.since === undefined ? '' : new Date(options.since).toISOString()],
      );
      return result.rows.map(checkpointOfRow);
    },
    async lastCheckpoint(customerId) {
      const result = await pool.query<CheckpointRow>(
        `SELECT ${CHECKPOINT_COLUMNS} FROM chain_checkpoints WHERE customer_id = $1 ORDER BY last_pos DESC LIMIT 1`,
        [customerId],
      );
      return result.rows[0] ? checkpointOfRow(result.rows[0]) : null;
    },
    async saveCheckpoint(cp) {
      const result = await pool.query(
        'INSERT INTO chain_checkpoints (customer_id, first_pos, last_pos, head_hash, count, time, key_id, signature) ' +
          'VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING',
        checkpointValues(cp),
      );
      return result.rowCount === 1;
    },
  };
}
