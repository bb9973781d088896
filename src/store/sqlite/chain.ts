import type Database from 'better-sqlite3';
import { eventChainHash, GENESIS_HASH } from '../../domain/chain-hash.js';
import { type CheckpointRow, checkpointOfRow, checkpointValues, type HeadRow, headOfRow } from '../chain-rows.js';
import type { ChainHead, ChainLink, EventChain } from '../event-chain.js';
import { EVENT_COLUMNS, type EventRow, rowToEvent, rowToEventAt } from './rows.js';
import type { StatementCache } from './statements.js';

/*
 * Version 8: the tamper-evident chain (src/domain/chain-hash.ts). One writer per SQLite file, so the
 * order is the order append's transactions take the write lock; each link is written in the same
 * transaction as its event (event-writer.ts). `event_chain` names the event by id, so a row changed,
 * deleted or added behind auditbot's back no longer matches its link. `chain_heads` holds each
 * tenant's newest link and where its chain starts (the genesis); checkpoints are signed by
 * src/chain/checkpoints.ts. Existing events are chained here, in storage order.
 */
export const CHAIN_SCHEMA = `
CREATE TABLE event_chain (
  customer_id TEXT NOT NULL,
  pos INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  hash TEXT NOT NULL,
  pruned INTEGER NOT NULL DEFAULT 0,
  -- Where the event was stored: verify reads it by rowid (a third of the cost of the id index),
  -- and looks it up by id only when the row there is not the event the link names.
  seq INTEGER NOT NULL,
  PRIMARY KEY (customer_id, pos)
) WITHOUT ROWID;
CREATE INDEX event_chain_by_event ON event_chain (customer_id, event_id);
CREATE TABLE chain_heads (
  customer_id TEXT PRIMARY KEY,
  pos INTEGER NOT NULL,
  hash TEXT NOT NULL,
  genesis_pos INTEGER NOT NULL,
  genesis_hash TEXT NOT NULL,
  genesis_since TEXT NOT NULL,
  genesis_note TEXT NOT NULL,
  pruned_before INTEGER
);
CREATE TABLE chain_checkpoints (
  customer_id TEXT NOT NULL,
  first_pos INTEGER NOT NULL,
  last_pos INTEGER NOT NULL,
  head_hash TEXT NOT NULL,
  count INTEGER NOT NULL,
  time TEXT NOT NULL,
  key_id TEXT NOT NULL,
  signature TEXT NOT NULL,
  PRIMARY KEY (customer_id, last_pos)
);
`;

export const INSERT_LINK_SQL =
  'INSERT INTO event_chain (customer_id, pos, event_id, ts, hash, seq) VALUES (?, ?, ?, ?, ?, ?)';
const READ_HEAD_SQL = 'SELECT pos, hash FROM chain_heads WHERE customer_id = ?';
const NEW_HEAD_SQL =
  'INSERT INTO chain_heads (customer_id, pos, hash, genesis_pos, genesis_hash, genesis_since, genesis_note) ' +
  'VALUES (?, ?, ?, 0, ?, ?, ?)';
const MOVE_HEAD_SQL = 'UPDATE chain_heads SET pos = ?, hash = ? WHERE customer_id = ?';

interface Head {
  pos: number;
  hash: string;
  isNew: boolean;
}

/**
 * Tenants' heads during one write transaction: read once, advanced per stored event, written back
 * at the end. `note` says how a new chain begins.
 */
export class ChainHeads {
  private readonly heads = new Map<string, Head>();

  constructor(
    private readonly statements: StatementCache,
    private readonly note: string,
  ) {}

  /** The next position and its hash for an event of `customerId` whose canonical form hashes after the head. */
  next(customerId: string, link: (previous: string) => string): { pos: number; hash: string } {
    let head = this.heads.get(customerId);
    if (!head) {
      const stored = this.statements.raw(READ_HEAD_SQL).get(customerId) as [number, string] | undefined;
      head = stored ? { pos: stored[0], hash: stored[1], isNew: false } : { pos: 0, hash: GENESIS_HASH, isNew: true };
      this.heads.set(customerId, head);
    }
    head.pos += 1;
    head.hash = link(head.hash);
    return head;
  }

  /** Writes the moved heads (inside the same transaction). */
  save(): void {
    for (const [customerId, head] of this.heads) {
      if (head.isNew) {
        this.statements
          .plain(NEW_HEAD_SQL)
          .run(customerId, head.pos, head.hash, GENESIS_HASH, new Date().toISOString(), this.note);
      } else {
        this.statements.plain(MOVE_HEAD_SQL).run(head.pos, head.hash, customerId);
      }
    }
    this.heads.clear();
  }
}

/** Migration 8's backfill: every stored event, in storage order, takes its link. */
export function chainStoredEvents(db: Database.Database, statements: StatementCache): void {
  const total = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
  const note = `chained by migration at ${new Date().toISOString()} over ${total} events stored before the chain existed`;
  const heads = new ChainHeads(statements, note);
  const read = db.prepare(`SELECT seq, ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT 5000`).raw(true);
  const insert = db.prepare(INSERT_LINK_SQL);
  let after = 0;
  for (;;) {
    const rows = read.all(after) as [number, ...EventRow][];
    if (rows.length === 0) break;
    for (const [seq, ...columns] of rows) {
      const event = rowToEvent(columns as EventRow);
      const { pos, hash } = heads.next(event.customerId, (previous) => eventChainHash(previous, event));
      insert.run(event.customerId, pos, event.id, columns[2], hash, seq);
      after = seq;
    }
  }
  heads.save();
}

const LINK_COLUMNS = 'c.pos, c.event_id, c.ts, c.hash, c.pruned';
const GET_BY_ID_SQL = `SELECT ${EVENT_COLUMNS} FROM events WHERE customer_id = ? AND id = ?`;
const EVENT_OF_LINK = EVENT_COLUMNS.split(', ')
  .map((column) => `e.${column}`)
  .join(', ');

type LinkRow = [number, string, number, string, number];

function linkOfRow(row: LinkRow): Omit<ChainLink, 'event'> {
  return { position: row[0], eventId: row[1], ts: row[2], hash: row[3], pruned: row[4] === 1 };
}

/** The chain's reads and checkpoints on a SQLite file. */
export function createSqliteChain(statements: StatementCache): EventChain {
  return {
    async tenants() {
      return statements.pluck('SELECT customer_id FROM chain_heads ORDER BY customer_id').all() as string[];
    },
    async head(customerId): Promise<ChainHead | null> {
      const row = statements.plain('SELECT * FROM chain_heads WHERE customer_id = ?').get(customerId) as
        | HeadRow
        | undefined;
      return row ? headOfRow(customerId, row) : null;
    },
    async links(customerId, afterPosition, limit) {
      const rows = statements
        .raw(
          `SELECT ${LINK_COLUMNS}, ${EVENT_OF_LINK} FROM event_chain c ` +
            'LEFT JOIN events e ON e.seq = c.seq AND e.customer_id = c.customer_id AND e.id = c.event_id ' +
            'WHERE c.customer_id = ? AND c.pos > ? ORDER BY c.pos LIMIT ?',
        )
        .all(customerId, afterPosition, limit) as [...LinkRow, ...(EventRow | null[])][];
      return rows.map((row) => {
        const link = linkOfRow(row as unknown as LinkRow);
        try {
          if (row[5] !== null) return { ...link, event: rowToEventAt(row, 5) };
          // Not at its seq (moved, or gone): by its id.
          const moved = statements.raw(GET_BY_ID_SQL).get(customerId, link.eventId) as EventRow | undefined;
          return { ...link, event: moved ? rowToEvent(moved) : null };
        } catch (error) {
          return { ...link, event: null, unreadable: error instanceof Error ? error.message : String(error) };
        }
      });
    },
    async linkAt(customerId, position) {
      const row = statements
        .raw(`SELECT ${LINK_COLUMNS} FROM event_chain c WHERE c.customer_id = ? AND c.pos = ?`)
        .get(customerId, position) as LinkRow | undefined;
      return row ? linkOfRow(row) : null;
    },
    async linkOf(customerId, eventId) {
      const row = statements
        .raw(
          `SELECT ${LINK_COLUMNS} FROM event_chain c WHERE c.customer_id = ? AND c.event_id = ? ORDER BY c.pos LIMIT 1`,
        )
        .get(customerId, eventId) as LinkRow | undefined;
      return row ? linkOfRow(row) : null;
    },
    async linksOf(customerId, eventIds) {
      const found = new Map<string, Omit<ChainLink, 'event'>>();
      for (let from = 0; from < eventIds.length; from += 500) {
        const ids = eventIds.slice(from, from + 500);
        const rows = statements
          .raw(
            `SELECT ${LINK_COLUMNS} FROM event_chain c WHERE c.customer_id = ? AND c.event_id IN (${ids.map(() => '?').join(', ')})`,
          )
          .all(customerId, ...ids) as LinkRow[];
        for (const row of rows) found.set(row[1], linkOfRow(row));
      }
      return found;
    },
    async storedEvents(customerId) {
      return statements.pluck('SELECT count(*) FROM events WHERE customer_id = ?').get(customerId) as number;
    },
    async unchained(customerId, limit) {
      const rows = statements
        .raw(
          `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.customer_id = ? AND NOT EXISTS ` +
            '(SELECT 1 FROM event_chain c WHERE c.customer_id = e.customer_id AND c.event_id = e.id) LIMIT ?',
        )
        .all(customerId, limit) as EventRow[];
      return rows.map(rowToEvent);
    },
    async checkpoints(customerId, options = {}) {
      const rows = statements
        .plain('SELECT * FROM chain_checkpoints WHERE customer_id = ? AND time >= ? ORDER BY last_pos')
        .all(customerId, options.since === undefined ? '' : new Date(options.since).toISOString()) as CheckpointRow[];
      return rows.map(checkpointOfRow);
    },
    async lastCheckpoint(customerId) {
      const row = statements
        .plain('SELECT * FROM chain_checkpoints WHERE customer_id = ? ORDER BY last_pos DESC LIMIT 1')
        .get(customerId) as CheckpointRow | undefined;
      return row ? checkpointOfRow(row) : null;
    },
    async saveCheckpoint(cp) {
      const { changes } = statements
        .plain(
          'INSERT OR IGNORE INTO chain_checkpoints (customer_id, first_pos, last_pos, head_hash, count, time, key_id, signature) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(...checkpointValues(cp));
      return changes === 1;
    },
  };
}

/**
 * After a prune: links whose events retention removed are marked pruned (they keep the chain
 * whole), and each tenant's genesis moves past the pruned stretch at the chain's start, whose links
 * are then dropped: the last of them becomes the new genesis.
 */
export function pruneChain(statements: StatementCache, olderThan: number, customerId?: string): void {
  const tenant = customerId === undefined ? '' : ' AND customer_id = ?';
  const params = customerId === undefined ? [] : [customerId];
  statements
    .plain(
      `UPDATE event_chain SET pruned = 1 WHERE pruned = 0 AND ts < ?${tenant} AND NOT EXISTS ` +
        '(SELECT 1 FROM events e WHERE e.customer_id = event_chain.customer_id AND e.id = event_chain.event_id)',
    )
    .run(olderThan, ...params);
  statements
    .plain(`UPDATE chain_heads SET pruned_before = max(coalesce(pruned_before, 0), ?) WHERE 1 = 1${tenant}`)
    .run(olderThan, ...params);
  const tenants = statements
    .raw(`SELECT customer_id, pos, genesis_pos FROM chain_heads WHERE 1 = 1${tenant}`)
    .all(...params) as [string, number, number][];
  const now = new Date().toISOString();
  for (const [id, head, genesis] of tenants) {
    const firstKept = statements
      .pluck('SELECT pos FROM event_chain WHERE customer_id = ? AND pos > ? AND pruned = 0 ORDER BY pos LIMIT 1')
      .get(id, genesis) as number | undefined;
    const last = (firstKept ?? head + 1) - 1;
    if (last <= genesis) continue;
    const hash = statements.pluck('SELECT hash FROM event_chain WHERE customer_id = ? AND pos = ?').get(id, last);
    statements.plain('DELETE FROM event_chain WHERE customer_id = ? AND pos <= ?').run(id, last);
    statements
      .plain(
        'UPDATE chain_heads SET genesis_pos = ?, genesis_hash = ?, genesis_since = ?, genesis_note = ? WHERE customer_id = ?',
      )
      .run(
        last,
        hash,
        now,
        `retention removed positions up to ${last} (events before ${new Date(olderThan).toISOString()}) at ${now}`,
        id,
      );
  }
}
