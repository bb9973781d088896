import type pg from 'pg';
import type { AlertOutbox, OutboxEntry, OutboxItem, OutboxStatus } from '../alert-outbox.js';
import { readState, writeState } from './kv.js';
import { DESTINATION_LOCK } from './locks.js';
import { inTransaction } from './pool.js';

const CURSOR_KEY = 'alerts:cursor';
const COLUMNS =
  'id, customer_id, rule_id, event_id, destination, mode, status, attempts, enqueued_at, next_attempt_at, message_id';

interface OutboxRow {
  id: number;
  customer_id: string;
  rule_id: string;
  event_id: string;
  destination: string;
  mode: string;
  status: string;
  attempts: number;
  enqueued_at: number;
  next_attempt_at: number;
  message_id: string | null;
}

function rowToItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    customerId: row.customer_id,
    ruleId: row.rule_id,
    eventId: row.event_id,
    destination: row.destination,
    mode: row.mode === 'digest' ? 'digest' : 'each',
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    enqueuedAt: row.enqueued_at,
    nextAttemptAt: row.next_attempt_at,
    messageId: row.message_id,
  };
}

/** A status change ends the claim: what is settled is nobody's, what is retried waits for anyone. */
const RELEASE = 'lease_owner = NULL, lease_until = 0';

// One statement claims: rows another transaction is claiming this instant are skipped, not waited for.
const CLAIM_SQL = `
WITH picked AS (
  SELECT id FROM alert_outbox
  WHERE destination = $1 AND status = 'pending' AND next_attempt_at <= $2
  ORDER BY id LIMIT $3
  FOR UPDATE SKIP LOCKED
)
UPDATE alert_outbox o SET lease_owner = $4, lease_until = $2::bigint + $5::bigint
FROM picked WHERE o.id = picked.id
RETURNING ${COLUMNS.split(', ')
  .map((c) => `o.${c}`)
  .join(', ')}`;

/** The outbox several instances share: enqueue is idempotent, delivery is claimed per destination. */
export function createPostgresAlertOutbox(pool: pg.Pool): AlertOutbox {
  return {
    async enqueue(entries, now) {
      if (entries.length === 0) return 0;
      const column = <K extends keyof OutboxEntry>(key: K) => entries.map((e) => e[key]);
      const result = await pool.query(
        `INSERT INTO alert_outbox (customer_id, rule_id, event_id, destination, mode, enqueued_at, next_attempt_at)
         SELECT c, r, e, d, m, $6, $6 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(c, r, e, d, m)
         ON CONFLICT (rule_id, event_id, destination) DO NOTHING`,
        [column('customerId'), column('ruleId'), column('eventId'), column('destination'), column('mode'), now],
      );
      return result.rowCount ?? 0;
    },
    async dueDestinations(now) {
      const result = await pool.query<{ destination: string }>(
        "SELECT DISTINCT destination FROM alert_outbox WHERE status = 'pending' AND next_attempt_at <= $1",
        [now],
      );
      return result.rows.map((row) => row.destination);
    },
    async pending(destination, limit) {
      const result = await pool.query<OutboxRow>(
        `SELECT ${COLUMNS} FROM alert_outbox WHERE destination = $1 AND status = 'pending' ORDER BY id LIMIT $2`,
        [destination, limit],
      );
      return result.rows.map(rowToItem);
    },
    /**
     * Under a per-destination transaction lock, so two instances never both find the destination
     * free: nothing while its pacing slot is closed or another instance holds a live lease on any
     * of its entries; otherwise every due entry, leased to `owner` (its own earlier lease renewed).
     */
    async claim(destination, { owner, now, leaseMs, limit }) {
      return inTransaction(pool, async (client) => {
        await client.query(`SELECT pg_advisory_xact_lock($1, hashtext(coalesce(current_schema(), '') || ':' || $2))`, [
          DESTINATION_LOCK,
          destination,
        ]);
        const busy = await client.query(
          `SELECT 1 FROM alert_pacing WHERE destination = $1 AND next_slot > $2
           UNION ALL
           SELECT 1 FROM alert_outbox WHERE destination = $1 AND status = 'pending'
             AND lease_owner IS NOT NULL AND lease_owner <> $3 AND lease_until > $2
           LIMIT 1`,
          [destination, now, owner],
        );
        if ((busy.rowCount ?? 0) > 0) return [];
        const claimed = await client.query<OutboxRow>(CLAIM_SQL, [destination, now, limit, owner, leaseMs]);
        return claimed.rows.map(rowToItem).sort((a, b) => a.id - b.id);
      });
    },
    async pace(destination, until) {
      await pool.query(
        `INSERT INTO alert_pacing (destination, next_slot) VALUES ($1, $2)
         ON CONFLICT (destination) DO UPDATE SET next_slot = excluded.next_slot`,
        [destination, until],
      );
    },
    async countSince(destination, since) {
      const result = await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM alert_outbox WHERE destination = $1 AND enqueued_at >= $2',
        [destination, since],
      );
      return result.rows[0]?.n ?? 0;
    },
    async markSent(ids, messageId, now) {
      await pool.query(
        `UPDATE alert_outbox SET status = 'sent', sent_at = $1, message_id = $2, attempts = attempts + 1, ${RELEASE}
         WHERE id = ANY($3::bigint[])`,
        [now, messageId, ids],
      );
    },
    async markRetry(ids, nextAttemptAt, error) {
      await pool.query(
        `UPDATE alert_outbox SET next_attempt_at = $1, last_error = $2, attempts = attempts + 1, ${RELEASE}
         WHERE id = ANY($3::bigint[])`,
        [nextAttemptAt, error.slice(0, 500), ids],
      );
    },
    async markDone(ids, status, error) {
      await pool.query(
        `UPDATE alert_outbox SET status = $1, last_error = $2, ${RELEASE} WHERE id = ANY($3::bigint[])`,
        [status, error?.slice(0, 500) ?? null, ids],
      );
    },
    async lastSent(customerId) {
      const result = await pool.query<{ rule_id: string; at: number }>(
        "SELECT rule_id, max(sent_at) AS at FROM alert_outbox WHERE customer_id = $1 AND status = 'sent' GROUP BY rule_id",
        [customerId],
      );
      return new Map(result.rows.map((row) => [row.rule_id, row.at]));
    },
    getCursor: () => readState<number>(pool, CURSOR_KEY),
    setCursor: (seq) => writeState(pool, CURSOR_KEY, seq),
  };
}
