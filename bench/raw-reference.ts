import { createWriteStream } from 'node:fs';
import Database from 'better-sqlite3';
import type { AuditEvent } from '../src/domain/audit-event.js';
import { applyMigrations } from '../src/store/sqlite/migrations.js';
import { eventToInsertParams, ftsParams, INSERT_EVENT_SQL, INSERT_FTS_SQL } from '../src/store/sqlite/rows.js';

/**
 * The same-run references: plain better-sqlite3 with the same schema and statements, none of
 * auditbot's code around them. What auditbot adds is measured against these.
 */
export function openRawDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 10000');
  applyMigrations(db);
  return db;
}

/** Insert parameters, prepared outside the timed section (the reference times SQLite only). */
export function insertParams(events: readonly AuditEvent[]): unknown[][] {
  return events.map((e, i) => eventToInsertParams(e, i));
}

/** The same two statements the store runs per event (row, then its full-text entry), nothing else. */
export function rawInsertBatch(db: Database.Database, rows: readonly unknown[][]): void {
  const insert = db.prepare(INSERT_EVENT_SQL);
  const insertFts = db.prepare(INSERT_FTS_SQL);
  db.transaction(() => {
    for (const row of rows) {
      const result = insert.run(row);
      if (result.changes === 1) insertFts.run(ftsParams(result.lastInsertRowid, row));
    }
  })();
}

/** Select N rows newest first and write naive CSV (what PLATFORM-FACTS measured at ~0.8 s for 50,000). */
export async function rawCsvExport(
  db: Database.Database,
  customerId: string,
  rows: number,
  path: string,
): Promise<void> {
  const out = createWriteStream(path);
  const stmt = db.prepare(
    'SELECT display_name, customer_id, ts, event_type, service, entity_key, entity_type, audit_user_id, impersonator, details, correlation_type, correlation_id, access_method, region FROM events WHERE customer_id = ? ORDER BY ts DESC, id DESC LIMIT ?',
  );
  stmt.raw(true);
  for (const row of stmt.iterate(customerId, rows) as Iterable<unknown[]>) {
    const line = row.map((v) => (v === null ? '' : `"${String(v).replaceAll('"', '""')}"`)).join(',');
    if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}
