import type Database from 'better-sqlite3';
import type { AlertOutbox, ClaimOptions, OutboxEntry, OutboxItem, OutboxStatus } from '../alert-outbox.js';
import { readState, writeState } from './kv.js';
import type { StatementCache } from './statements.js';

const CURSOR_KEY = 'alerts:cursor';

type OutboxRow = [
  id: number,
  customerId: string,
  ruleId: string,
  eventId: string,
  destination: string,
  mode: string,
  status: string,
  attempts: number,
  enqueuedAt: number,
  nextAttemptAt: number,
  messageId: string | null,
];

const COLUMNS =
  'id, customer_id, rule_id, event_id, destination, mode, status, attempts, enqueued_at, next_attempt_at, message_id';

function rowToItem(row: OutboxRow): OutboxItem {
  return {
    id: row[0],
    customerId: row[1],
    ruleId: row[2],
    eventId: row[3],
    destination: row[4],
    mode: row[5] === 'digest' ? 'digest' : 'each',
    status: row[6] as OutboxStatus,
    attempts: row[7],
    enqueuedAt: row[8],
    nextAttemptAt: row[9],
    messageId: row[10],
  };
}

/** Ids travel as one JSON array parameter, however many there are: one statement. */
const IDS = '(SELECT value FROM json_each(?))';
/** A status change ends the claim (see AlertOutbox.claim). */
const RELEASE = 'lease_owner = NULL, lease_until = 0';

/** The outbox on the store's own SQLite connection; every write is one short transaction. */
export function createSqliteAlertOutbox(db: Database.Database, statements: StatementCache): AlertOutbox {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO alert_outbox (customer_id, rule_id, event_id, destination, mode, enqueued_at, next_attempt_at) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const enqueueAll = db.transaction((entries: readonly OutboxEntry[], now: number) => {
    let inserted = 0;
    for (const e of entries) {
      inserted += insert.run(e.customerId, e.ruleId, e.eventId, e.destination, e.mode, now, now).changes;
    }
    return inserted;
  });
  const claimAll = db.transaction((destination: string, options: ClaimOptions): OutboxItem[] => {
    const { owner, now, leaseMs, limit } = options;
    const busy = statements
      .pluck(
        'SELECT 1 FROM alert_pacing WHERE destination = ? AND next_slot > ? UNION ALL ' +
          "SELECT 1 FROM alert_outbox WHERE destination = ? AND status = 'pending' " +
          'AND lease_owner IS NOT NULL AND lease_owner <> ? AND lease_until > ? LIMIT 1',
      )
      .get(destination, now, destination, owner, now);
    if (busy !== undefined) return [];
    const rows = statements
      .raw(
        `UPDATE alert_outbox SET lease_owner = ?, lease_until = ? WHERE id IN (SELECT id FROM alert_outbox ` +
          `WHERE destination = ? AND status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?) RETURNING ${COLUMNS}`,
      )
      .all(owner, now + leaseMs, destination, now, limit) as OutboxRow[];
    return rows.map(rowToItem).sort((a, b) => a.id - b.id);
  });
  return {
    async enqueue(entries, now) {
      return entries.length === 0 ? 0 : enqueueAll(entries, now);
    },
    async claim(destination, options) {
      return claimAll.immediate(destination, options);
    },
    async pace(destination, until) {
      statements
        .plain(
          'INSERT INTO alert_pacing (destination, next_slot) VALUES (?, ?) ' +
            'ON CONFLICT (destination) DO UPDATE SET next_slot = excluded.next_slot',
        )
        .run(destination, until);
    },
    async dueDestinations(now) {
      return statements
        .pluck("SELECT DISTINCT destination FROM alert_outbox WHERE status = 'pending' AND next_attempt_at <= ?")
        .all(now) as string[];
    },
    async pending(destination, limit) {
      const rows = statements
        .raw(`SELECT ${COLUMNS} FROM alert_outbox WHERE destination = ? AND status = 'pending' ORDER BY id LIMIT ?`)
        .all(destination, limit) as OutboxRow[];
      return rows.map(rowToItem);
    },
    async countSince(destination, since) {
      return statements
        .pluck('SELECT count(*) FROM alert_outbox WHERE destination = ? AND enqueued_at >= ?')
        .get(destination, since) as number;
    },
    async markSent(ids, messageId, now) {
      statements
        .plain(
          `UPDATE alert_outbox SET status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1, ${RELEASE} WHERE id IN ${IDS}`,
        )
        .run(now, messageId, JSON.stringify(ids));
    },
    async markRetry(ids, nextAttemptAt, error) {
      statements
        .plain(
          `UPDATE alert_outbox SET next_attempt_at = ?, last_error = ?, attempts = attempts + 1, ${RELEASE} WHERE id IN ${IDS}`,
        )
        .run(nextAttemptAt, error.slice(0, 500), JSON.stringify(ids));
    },
    async markDone(ids, status, error) {
      statements
        .plain(`UPDATE alert_outbox SET status = ?, last_error = ?, ${RELEASE} WHERE id IN ${IDS}`)
        .run(status, error?.slice(0, 500) ?? null, JSON.stringify(ids));
    },
    async lastSent(customerId) {
      const rows = statements
        .raw(
          "SELECT rule_id, max(sent_at) FROM alert_outbox WHERE customer_id = ? AND status = 'sent' GROUP BY rule_id",
        )
        .all(customerId) as [string, number][];
      return new Map(rows);
    },
    async getCursor() {
      return readState<number>(statements, CURSOR_KEY);
    },
    async setCursor(seq) {
      writeState(statements, CURSOR_KEY, seq);
    },
  };
}
