import { CHAIN_SCHEMA, chainStoredEvents } from './chain.js';
import { SEQUENCE_LOCK } from './locks.js';
import type { Migration } from './migrations.js';
import { TENANT_VALUE_COLUMNS } from './tenant-values.js';

/*
 * Layout, and why:
 *
 * `events` is RANGE-partitioned by month on `ts` (epoch ms, as in SQLite, so cursors and filters are
 * shared). Retention then drops whole months (DROP TABLE of a partition: no dead rows, no vacuum),
 * imports of recent events touch only the newest partition's indexes, and a time-bounded search is
 * pruned to the months it covers. Partitions are created ahead at open and on demand by append
 * (partitions.ts), so there is no DEFAULT partition that would have to be scanned on every creation.
 *
 * A UNIQUE index on a partitioned table must contain the partition key, so (customer_id, id) and
 * (customer_id, fingerprint) cannot be enforced on `events` itself: the same id re-sent with another
 * timestamp would land in another partition. `event_keys` is a small non-partitioned table (ids and a
 * 32-byte fingerprint, no payload) holding both constraints; append inserts into it with ON CONFLICT
 * DO NOTHING and stores in `events` only the rows that got a key, in one statement. It also tells
 * `get` which partition holds an event (its ts). Prune deletes the keys of the events it removes.
 *
 * Indexes mirror SQLite's (src/store/sqlite/migrations.ts): led by customer_id, ending in ts so a
 * filtered newest-first page is a backward index walk (ties on ts, rare, are put in id order by an
 * incremental sort; a 36-character id in five indexes cost ~10% of import speed). Declared on the
 * parent so every partition gets them. Text columns use the "C" collation: id order is byte order,
 * as in SQLite, and comparisons are plain memcmp.
 *
 * Free text: `search` holds each event's words as a tsvector (the same fields as SQLite's FTS table),
 * indexed with GIN. append computes it (search-text.ts, which also tokenises query terms, so index
 * and query agree whatever the database locale) rather than a generated column: PostgreSQL's own
 * tokenising cost ~100 µs a row, more than the rest of an insert twice over.
 */
const initialSchema = `
CREATE TABLE events (
  customer_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  ts bigint NOT NULL,
  event_type text COLLATE "C" NOT NULL,
  service text COLLATE "C" NOT NULL,
  entity_type text COLLATE "C" NOT NULL,
  entity_type_key text COLLATE "C" NOT NULL,
  entity_key text COLLATE "C" NOT NULL,
  display_name text,
  audit_user_id text COLLATE "C",
  impersonator text COLLATE "C",
  details text,
  raw_details text,
  correlation_type text COLLATE "C",
  correlation_id text COLLATE "C",
  access_method text COLLATE "C",
  region text COLLATE "C",
  source text COLLATE "C" NOT NULL,
  stored_at bigint NOT NULL,
  search tsvector NOT NULL
) PARTITION BY RANGE (ts);

CREATE INDEX events_by_time ON events (customer_id, ts);
CREATE INDEX events_by_type ON events (customer_id, event_type, ts);
CREATE INDEX events_by_entity_type ON events (customer_id, entity_type_key, ts);
CREATE INDEX events_by_actor ON events (customer_id, audit_user_id, ts);
CREATE INDEX events_by_entity ON events (customer_id, entity_key, entity_type_key, service, ts);
-- Partial: impersonation is rare, so this stays tiny and costs next to nothing on import.
CREATE INDEX events_by_impersonator ON events (customer_id, impersonator) WHERE impersonator IS NOT NULL;
CREATE INDEX events_search ON events USING gin (search);

CREATE TABLE event_keys (
  customer_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  fingerprint bytea NOT NULL,
  ts bigint NOT NULL,
  PRIMARY KEY (customer_id, id),
  UNIQUE (customer_id, fingerprint)
);

CREATE TABLE kv (
  key text COLLATE "C" PRIMARY KEY,
  value text NOT NULL,
  updated_at bigint NOT NULL
);
`;

/*
 * Version 2: what several instances need to share the alert work (ARCHITECTURE §7).
 *
 * Storage order. The alert matcher reads "every event stored after seq N". A plain sequence is not
 * enough: two transactions may take seq 10 and 11 and commit 11 first, and a reader that saw 11 and
 * moved its cursor past it would never see 10. So every statement that inserts keys first takes a
 * transaction-scoped advisory lock (a statement trigger, so no insert path can forget it): seqs are
 * handed out in commit order, and what a reader sees is always a prefix. Appends from several
 * instances take turns at the commit; one import is one transaction per call and loses nothing.
 * The sequence caches one value per call, or sessions would hold interleaved ranges.
 *
 * The outbox is SQLite's (unique per rule × event × destination) plus a claim: the instance that
 * delivers to a destination leases its pending entries (FOR UPDATE SKIP LOCKED), and a lease that
 * runs out — the instance died — returns them to the queue. alert_pacing holds each destination's
 * next free slot, so instances together keep to Slack's one post a second per channel.
 */
const alertsSchema = `
CREATE SEQUENCE event_seq CACHE 1;
ALTER TABLE event_keys ADD COLUMN seq bigint NOT NULL DEFAULT nextval('event_seq');
CREATE INDEX event_keys_by_seq ON event_keys (seq);

CREATE FUNCTION event_keys_in_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(${SEQUENCE_LOCK}, hashtext(coalesce(current_schema(), '')));
  RETURN NULL;
END
$$;
CREATE TRIGGER event_keys_in_commit_order BEFORE INSERT ON event_keys
  FOR EACH STATEMENT EXECUTE FUNCTION event_keys_in_commit_order();

CREATE TABLE alert_outbox (
  id bigserial PRIMARY KEY,
  customer_id text COLLATE "C" NOT NULL,
  rule_id text COLLATE "C" NOT NULL,
  event_id text COLLATE "C" NOT NULL,
  destination text COLLATE "C" NOT NULL,
  mode text NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  attempts integer NOT NULL DEFAULT 0,
  enqueued_at bigint NOT NULL,
  next_attempt_at bigint NOT NULL,
  sent_at bigint,
  message_id text,
  last_error text,
  lease_owner text,
  lease_until bigint NOT NULL DEFAULT 0,
  UNIQUE (rule_id, event_id, destination)
);
CREATE INDEX alert_outbox_pending ON alert_outbox (destination, id) WHERE status = 'pending';
CREATE INDEX alert_outbox_by_destination ON alert_outbox (destination, enqueued_at);
CREATE INDEX alert_outbox_sent ON alert_outbox (customer_id, rule_id, sent_at) WHERE status = 'sent';

CREATE TABLE alert_pacing (
  destination text COLLATE "C" PRIMARY KEY,
  next_slot bigint NOT NULL
);
`;

const tenantValueRows = (from: string) =>
  `SELECT DISTINCT customer_id, f.field, f.value FROM ${from}, LATERAL (VALUES ${Object.entries(TENANT_VALUE_COLUMNS)
    .map(([field, column]) => `('${field}', ${column})`)
    .join(', ')}) AS f(field, value) WHERE f.value IS NOT NULL AND f.value <> ''`;

/** Fills tenant_values from every stored event (the migration's backfill). */
const tenantValuesSql = () =>
  `INSERT INTO tenant_values (customer_id, field, value) ${tenantValueRows('events')} ON CONFLICT DO NOTHING`;

/*
 * Version 3: the filter form's pick-lists (services, entity types, regions, access methods) kept as
 * events arrive, as in SQLite, instead of grouping a tenant's million rows each time a form opens.
 * A statement trigger reads the statement's new rows (a transition table): a few rows per append.
 */
const tenantValuesSchema = `
CREATE TABLE tenant_values (
  customer_id text COLLATE "C" NOT NULL,
  field text COLLATE "C" NOT NULL,
  value text COLLATE "C" NOT NULL,
  PRIMARY KEY (customer_id, field, value)
);

CREATE FUNCTION events_note_tenant_values() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tenant_values (customer_id, field, value) ${tenantValueRows('added')} ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER events_note_tenant_values AFTER INSERT ON events REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION events_note_tenant_values();

${tenantValuesSql()};
`;

/*
 * Version 4: the fingerprint's uniqueness led by ts. A fingerprint covers the event's instant, so
 * (customer_id, ts, fingerprint) is unique exactly when (customer_id, fingerprint) is; but an import
 * of recent events then adds its keys near the end of the index instead of at random places in all of
 * it (random inserts into a 1M-entry index were the largest single cost of an append).
 */
const fingerprintByTime = `
ALTER TABLE event_keys DROP CONSTRAINT event_keys_customer_id_fingerprint_key;
ALTER TABLE event_keys ADD CONSTRAINT event_keys_fingerprint UNIQUE (customer_id, ts, fingerprint);
`;

/*
 * Version 5: report files (CSV parts offered by link or file consent in Teams) in the database, so
 * any instance can serve a download or an upload whichever instance wrote the report.
 */
const reportFiles = `
CREATE TABLE report_files (
  key text COLLATE "C" PRIMARY KEY,
  bytes bytea NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX report_files_by_expiry ON report_files (expires_at);
`;

/*
 * Version 6: the pick-lists are written by append itself (tenant-values.ts): the trigger of version 3
 * made PostgreSQL copy every inserted row into a transition table, 12% of import speed.
 */
const tenantValuesByAppend = `
DROP TRIGGER events_note_tenant_values ON events;
DROP FUNCTION events_note_tenant_values();
`;

/*
 * Version 7: storage order without holding a lock for the whole append. Version 2 made every
 * storing transaction hold the sequence lock from its first key to its commit, so appends took turns
 * end to end and a second connection could not speed up an import (measured: 1 or 2 connections
 * both ~18,000 events/s; 2 connections without that lock ~34,000).
 *
 * Now each append is a batch (append_batch_seq, taken at BEGIN) whose keys carry their position in
 * the call (idx). Only its last statement, just before COMMIT, reserves a range of seqs for the whole
 * call by updating the single append_counter row: the row lock holds other appends' reservations
 * until this one commits, so ranges are still handed out in commit order and a reader still sees a
 * prefix; the work before that runs side by side. An event's seq is its batch's first_seq + idx.
 * Existing keys become batch 0 with idx = their old seq, so seqs and cursors carry over unchanged, and
 * the counter starts past the last seq the old sequence handed out.
 */
const commitOrderedRanges = `
CREATE SEQUENCE append_batch_seq START 1 CACHE 1;
CREATE TABLE append_counter (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  next_seq bigint NOT NULL
);
CREATE TABLE append_commits (
  batch bigint PRIMARY KEY,
  first_seq bigint NOT NULL,
  last_seq bigint NOT NULL
);
CREATE INDEX append_commits_by_last_seq ON append_commits (last_seq);

ALTER TABLE event_keys ADD COLUMN batch bigint, ADD COLUMN idx bigint;
UPDATE event_keys SET batch = 0, idx = seq;
ALTER TABLE event_keys ALTER COLUMN batch SET NOT NULL, ALTER COLUMN idx SET NOT NULL;
-- Past every seq ever handed out, not only the stored ones: a prune may have removed the newest
-- keys while an alert cursor already points past them.
INSERT INTO append_counter (next_seq)
  SELECT greatest(coalesce(max(k.seq), 0), (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM event_seq)) + 1
  FROM event_keys k;
INSERT INTO append_commits (batch, first_seq, last_seq) SELECT 0, 0, max(seq) FROM event_keys HAVING count(*) > 0;
CREATE INDEX event_keys_by_batch ON event_keys (batch, idx);

DROP TRIGGER event_keys_in_commit_order ON event_keys;
DROP FUNCTION event_keys_in_commit_order();
ALTER TABLE event_keys DROP COLUMN seq;
DROP SEQUENCE event_seq;
`;

/** Records a source delivered that validation refused, with the reason (src/store/quarantine.ts). */
const quarantine = `
CREATE TABLE quarantine (
  customer_id text NOT NULL,
  key text NOT NULL,
  source text NOT NULL,
  reason text NOT NULL,
  raw text NOT NULL,
  received_at bigint NOT NULL,
  PRIMARY KEY (customer_id, key)
);
CREATE INDEX quarantine_by_time ON quarantine (customer_id, received_at);
`;

/*
 * Version 9: phrases side by side in one field, as on SQLite (search-text.ts). Each event keeps its
 * search lines. Adding the column is instant; the stored events get theirs from a background pass
 * in short transactions (search-lines-fill.ts), so a big table is never locked by this migration.
 * Until then — and for rows an instance older than version 9 still writes — a NULL line matches a
 * phrase by its words alone, as before version 9.
 */
const searchLinesSchema = `ALTER TABLE events ADD COLUMN search_words text;`;

/** Ordered; append new versions, never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'events (monthly partitions), keys, kv', sql: initialSchema },
  { version: 2, name: 'storage order, alert outbox', sql: alertsSchema },
  { version: 3, name: 'tenant pick-list values', sql: tenantValuesSchema },
  { version: 4, name: 'fingerprint uniqueness led by time', sql: fingerprintByTime },
  { version: 5, name: 'report files', sql: reportFiles },
  { version: 6, name: 'pick-list values written by append', sql: tenantValuesByAppend },
  { version: 7, name: 'seq ranges reserved at commit', sql: commitOrderedRanges },
  { version: 8, name: 'quarantine', sql: quarantine },
  { version: 9, name: 'search lines for phrases', sql: searchLinesSchema },
  { version: 10, name: 'tamper-evident chain', sql: CHAIN_SCHEMA, backfill: chainStoredEvents },
];
