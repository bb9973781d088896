import type Database from 'better-sqlite3';
import { fieldWords } from '../../domain/search-words.js';
import { CHAIN_SCHEMA, chainStoredEvents } from './chain.js';
import { INSERT_FTS_SQL } from './rows.js';
import { StatementCache } from './statements.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Work SQL cannot do (tokenising in V8), run after `sql` in the same transaction. */
  backfill?: (db: Database.Database) => void;
}

/*
 * Full-text search uses a contentless FTS5 table (rowid = events.seq, contentless_delete so rows can
 * be removed by rowid): the text lives once, in `events`, and a match joins back by seq. append
 * writes the FTS row itself in the same transaction — measured twice as fast as an AFTER INSERT
 * trigger — while a delete trigger keeps the index in step whichever code path deletes. `details`
 * holds raw_details when the source text was not JSON, so such events stay searchable. unicode61
 * folds case and diacritics; prefix matching comes from `"term"*` queries (filter-sql.ts).
 *
 * Indexes all lead with customer_id (every read is tenant-scoped) and end in ts so a filtered
 * newest-first page is an index walk; the id tie-break is left out of them (it halved import speed
 * for a 36-character key in five indexes) — SQLite sorts only rows sharing one timestamp. Kept to five (plus a tiny partial one) besides
 * the two UNIQUE constraints: each one costs import speed. events_by_entity leads with entity_key so
 * it serves `key:` alone, previousState and the actor-name lookup.
 */
const initialSchema = `
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL,
  id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  event_type TEXT NOT NULL,
  service TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_type_key TEXT NOT NULL,
  entity_key TEXT NOT NULL,
  display_name TEXT,
  audit_user_id TEXT,
  impersonator TEXT,
  details TEXT,
  raw_details TEXT,
  correlation_type TEXT,
  correlation_id TEXT,
  access_method TEXT,
  region TEXT,
  source TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  stored_at INTEGER NOT NULL,
  UNIQUE (customer_id, id),
  UNIQUE (customer_id, fingerprint)
);
CREATE INDEX events_by_time ON events (customer_id, ts);
CREATE INDEX events_by_type ON events (customer_id, event_type, ts);
CREATE INDEX events_by_entity_type ON events (customer_id, entity_type_key, ts);
CREATE INDEX events_by_actor ON events (customer_id, audit_user_id, ts);
CREATE INDEX events_by_entity ON events (customer_id, entity_key, entity_type_key, service, ts);
-- Partial: impersonation is rare, so this stays tiny and costs next to nothing on import.
CREATE INDEX events_by_impersonator ON events (customer_id, impersonator) WHERE impersonator IS NOT NULL;

CREATE VIRTUAL TABLE events_fts USING fts5(
  display_name, entity_key, entity_type, audit_user_id, impersonator, details,
  content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
  DELETE FROM events_fts WHERE rowid = old.seq;
END;

-- Distinct values per tenant for the filter form's pick-lists, kept on append (a handful of rows
-- per batch) instead of grouping a million events each time the form opens.
CREATE TABLE tenant_values (
  customer_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (customer_id, field, value)
) WITHOUT ROWID;

CREATE TABLE kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

/*
 * The alert outbox (ARCHITECTURE §7). UNIQUE (rule_id, event_id, destination) makes enqueueing
 * idempotent, so the matcher may see an event again after a crash without alerting twice. The
 * partial index holds only pending rows: the deliverer's scans stay small however many were sent.
 */
const alertOutbox = `
CREATE TABLE alert_outbox (
  id INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  destination TEXT NOT NULL,
  mode TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  enqueued_at INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  sent_at INTEGER,
  message_id TEXT,
  last_error TEXT,
  UNIQUE (rule_id, event_id, destination)
);
CREATE INDEX alert_outbox_pending ON alert_outbox (destination, id) WHERE status = 'pending';
CREATE INDEX alert_outbox_by_destination ON alert_outbox (destination, enqueued_at);
CREATE INDEX alert_outbox_sent ON alert_outbox (customer_id, rule_id, sent_at) WHERE status = 'sent';
`;

/**
 * Claims and shared pacing, as in PostgreSQL (src/store/postgres/migrations.ts, version 2): one
 * process per SQLite file in practice, but the deliverer speaks one outbox language.
 */
const alertClaims = `
ALTER TABLE alert_outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE alert_outbox ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;
CREATE TABLE alert_pacing (
  destination TEXT PRIMARY KEY,
  next_slot INTEGER NOT NULL
);
`;

/**
 * Free text by day (src/store/sqlite/text-slices.ts): each tenant-day's seq range, backfilled here and
 * kept on append, and FTS5's vocabulary as a table, to turn a prefix into the words it stands for.
 * The day is floor(ts / 86,400,000), written so that it also floors instants before 1970.
 */
const textSlices = `
CREATE TABLE seq_days (
  customer_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  min_seq INTEGER NOT NULL,
  max_seq INTEGER NOT NULL,
  PRIMARY KEY (customer_id, day)
) WITHOUT ROWID;
INSERT INTO seq_days (customer_id, day, min_seq, max_seq)
  SELECT customer_id, (ts - ((ts % 86400000) + 86400000) % 86400000) / 86400000 AS day, min(seq), max(seq)
  FROM events GROUP BY customer_id, day;
CREATE VIRTUAL TABLE events_fts_vocab USING fts5vocab(events_fts, 'row');
`;

/** Report files any request can be served from (EventStore.saveFile), as in PostgreSQL. */
const reportFiles = `
CREATE TABLE report_files (
  key TEXT PRIMARY KEY,
  bytes BLOB NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX report_files_by_expiry ON report_files (expires_at);
`;

/** Records a source delivered that validation refused, with the reason (src/store/quarantine.ts). */
const quarantine = `
CREATE TABLE quarantine (
  customer_id TEXT NOT NULL,
  key TEXT NOT NULL,
  source TEXT NOT NULL,
  reason TEXT NOT NULL,
  raw TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (customer_id, key)
) WITHOUT ROWID;
CREATE INDEX quarantine_by_time ON quarantine (customer_id, received_at);
`;

/*
 * Version 7: one tokenizer for every store (src/domain/search-words.ts). FTS5's unicode61 folded and
 * split text its own way, which PostgreSQL could not follow, so the same phrase found other events
 * on each store. The FTS table now receives each field's words already split and folded, and the
 * `ascii` tokenizer (which splits only at ASCII punctuation and spaces) keeps them exactly.
 */
const sharedWords = `
DROP TABLE events_fts_vocab;
DROP TRIGGER events_fts_delete;
DROP TABLE events_fts;
CREATE VIRTUAL TABLE events_fts USING fts5(
  display_name, entity_key, entity_type, audit_user_id, impersonator, details,
  content = '', contentless_delete = 1, tokenize = 'ascii'
);
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
  DELETE FROM events_fts WHERE rowid = old.seq;
END;
CREATE VIRTUAL TABLE events_fts_vocab USING fts5vocab(events_fts, 'row');
`;

/** Re-indexes every stored event's words, a few thousand rows a statement. */
function reindexWords(db: Database.Database): void {
  const read = db.prepare(
    // The first 100,000 characters are all a search indexes (MAX_INDEXED_CHARS): no need to read 1 MB details.
    'SELECT seq, display_name, entity_key, entity_type, audit_user_id, impersonator, substr(coalesce(raw_details, details), 1, 100000) FROM events WHERE seq > ? ORDER BY seq LIMIT 5000',
  );
  const insert = db.prepare(INSERT_FTS_SQL);
  let after = 0;
  for (;;) {
    const rows = read.raw().all(after) as [number, ...(string | null)[]][];
    if (rows.length === 0) return;
    for (const [seq, ...fields] of rows) insert.run(seq, ...fieldWords(fields));
    after = rows[rows.length - 1]?.[0] ?? after;
  }
}

/** Ordered; append new versions, never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'events, fts, kv', sql: initialSchema },
  { version: 2, name: 'alert outbox', sql: alertOutbox },
  { version: 3, name: 'alert claims and pacing', sql: alertClaims },
  { version: 4, name: 'free text by day', sql: textSlices },
  { version: 5, name: 'report files', sql: reportFiles },
  { version: 6, name: 'quarantine', sql: quarantine },
  { version: 7, name: 'free text with the shared words', sql: sharedWords, backfill: reindexWords },
  {
    version: 8,
    name: 'tamper-evident chain',
    sql: CHAIN_SCHEMA,
    backfill: (db) => chainStoredEvents(db, new StatementCache(db)),
  },
];

function assertNotNewer(current: number, latestKnown: number): void {
  if (current <= latestKnown) return;
  throw new Error(
    `The database schema is version ${current}, newer than this auditbot understands (${latestKnown}). ` +
      'Upgrade auditbot, or point DATABASE_URL at another database.',
  );
}

/**
 * Brings the schema up to date, one transaction per migration; returns the versions applied. IMMEDIATE
 * transactions take the write lock before re-reading the version, so two processes starting
 * together apply each migration once.
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const latestKnown = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const currentVersion = db.prepare<[], number>('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  assertNotNewer(currentVersion.get() ?? 0, latestKnown);
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const apply = db.transaction(() => {
      const current = currentVersion.get() ?? 0;
      assertNotNewer(current, latestKnown);
      if (current >= migration.version) return;
      db.exec(migration.sql);
      migration.backfill?.(db);
      record.run(migration.version, migration.name, new Date().toISOString());
      applied.push(migration.version);
    });
    apply.immediate();
  }
  return applied;
}
