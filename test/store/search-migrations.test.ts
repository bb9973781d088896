import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createPool, openPostgresStore } from '../../src/store/postgres/index.js';
import { applyMigrations, MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { eventToInsertParams, INSERT_EVENT_SQL } from '../../src/store/sqlite/rows.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';
import { collectPages } from './contract.js';
import { auditEvent, wideFilter } from './fixtures.js';

/** Stores made before the shared free-text words find the same events once migrated. */
const events = [
  auditEvent({ id: 'near', displayName: 'Name 12 – Café', details: { new: { note: 'x' } } }),
  auditEvent({ id: 'apart', displayName: 'Name x 1', details: { new: { note: 'Name' } } }),
  auditEvent({ id: 'across', displayName: 'Queue Name', entityKey: '1', details: null }),
];
const searches: [string[], string[]][] = [
  [['"Name 1"'], ['near']],
  [['cafe'], ['near']],
  [['name'], ['across', 'apart', 'near']],
  [
    ['name', 'x'],
    ['apart', 'near'],
  ],
];

describe('SQLite schema version 7: free text re-indexed with the shared words', () => {
  const directory = mkdtempSync(join(tmpdir(), 'auditbot-fts-migrate-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('indexes every event stored before it, and finds phrases only side by side in one field', async () => {
    const path = join(directory, 'v6.db');
    const db = new Database(path);
    applyMigrations(
      db,
      MIGRATIONS.filter((m) => m.version <= 6),
    );
    const insert = db.prepare(INSERT_EVENT_SQL);
    events.forEach((event, i) => {
      insert.run([...eventToInsertParams(event, i), Date.now()]);
    });
    db.close();

    const store = openSqliteStore(path);
    try {
      for (const [text, ids] of searches) {
        const found = await collectPages(store, wideFilter({ text: text.map((t) => t.replaceAll('"', '')) }), 2);
        expect(found.map((e) => e.id).sort(), text.join(' ')).toEqual(ids);
      }
    } finally {
      await store.close();
    }
  });
});

const available = await postgresAvailable('test/store/search-migrations.test.ts');
const schemas = testSchemas('lines');
afterAll(async () => {
  if (available) await schemas.dropAll();
});

describe.runIf(available)('PostgreSQL schema version 9: search lines filled in the background', () => {
  it('fills the lines of events stored before it in short batches and rebuilds their vectors from the same words', async () => {
    const schema = schemas.fresh();
    const store = await openPostgresStore({ connectionString: TEST_DATABASE_URL, schema, poolMax: 2 });
    await store.append(events);
    await store.close();

    // Back to version 8: no lines, and vectors as an older tokenizer may have left them.
    const { pool } = createPool({ connectionString: TEST_DATABASE_URL, schema, poolMax: 1 });
    await pool.query("UPDATE events SET search = to_tsvector('simple', 'stale')");
    await pool.query('ALTER TABLE events DROP COLUMN search_words');
    // …and without what later versions added (the chain, version 10), so both apply again.
    await pool.query('DROP TABLE event_chain, chain_heads, chain_checkpoints');
    await pool.query('DELETE FROM schema_migrations WHERE version >= 9');
    await pool.end();

    const migrated = await openPostgresStore({ connectionString: TEST_DATABASE_URL, schema, poolMax: 2 });
    try {
      // While unfilled, a phrase matches by its words (as before version 9): never fewer events.
      expect(await migrated.startFillingSearchLines()).toBe(events.length);
      for (const [text, ids] of searches) {
        const found = await collectPages(migrated, wideFilter({ text: text.map((t) => t.replaceAll('"', '')) }), 2);
        expect(found.map((e) => e.id).sort(), text.join(' ')).toEqual(ids);
      }
      expect(await migrated.count(wideFilter({ text: ['stale'] }))).toBe(0);
    } finally {
      await migrated.close();
    }
  });
});
