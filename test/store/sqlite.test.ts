import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../../src/store/open-store.js';
import { applyMigrations, MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { describeEventStoreContract } from './contract.js';
import { auditEvent, TENANT, wideFilter } from './fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'auditbot-sqlite-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let files = 0;
const freshPath = () => join(scratch, `store-${++files}.db`);

describeEventStoreContract('sqlite file', async () => openSqliteStore(freshPath()));
describeEventStoreContract('sqlite :memory:', () => openEventStore('sqlite::memory:'));

describe('SQLite store specifics', () => {
  it('keeps events in the file across reopening, without re-applying migrations', async () => {
    const path = freshPath();
    const first = openSqliteStore(path);
    const event = auditEvent();
    await first.append([event]);
    await first.close();
    const second = openSqliteStore(path);
    expect(await second.get(TENANT, event.id)).toEqual(event);
    await second.close();
    const db = new Database(path);
    expect(db.prepare('SELECT version FROM schema_migrations').pluck().all()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(applyMigrations(db)).toEqual([]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('sees events another connection (another process) wrote', async () => {
    const path = freshPath();
    const server = openSqliteStore(path);
    const importer = openSqliteStore(path);
    expect((await server.stats(TENANT)).events).toBe(0);
    await importer.append([auditEvent({ auditUserId: 'imported-actor' })]);
    expect((await server.stats(TENANT)).events).toBe(1);
    expect((await server.actors(TENANT)).map((a) => a.id)).toContain('imported-actor');
    await importer.close();
    await server.close();
  });

  it('refuses a database written by a newer auditbot', async () => {
    const path = freshPath();
    const db = new Database(path);
    applyMigrations(db);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'now')").run();
    db.close();
    expect(() => openSqliteStore(path)).toThrow(/version 999.*newer/);
  });

  it('applies pending migrations in order, each once', () => {
    const db = new Database(':memory:');
    const extra = [...MIGRATIONS, { version: 100, name: 'probe', sql: 'CREATE TABLE probe (x INTEGER)' }];
    expect(applyMigrations(db, MIGRATIONS)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(applyMigrations(db, extra)).toEqual([100]);
    expect(applyMigrations(db, extra)).toEqual([]);
    db.close();
  });

  it('opens sqlite: URLs, creating the parent directory, and reports its size', async () => {
    const path = join(scratch, 'nested', 'deeper', 'auditbot.db');
    const store = await openEventStore(`sqlite:${path}`);
    await store.append([auditEvent()]);
    expect(store.kind).toBe('sqlite');
    expect((await store.stats(TENANT)).sizeBytes).toBeGreaterThan(0);
    await store.close();
    expect(existsSync(path)).toBe(true);
    const memory = await openEventStore('sqlite::memory:');
    expect((await memory.stats(TENANT)).sizeBytes).toBeNull();
    await memory.close();
  });

  it('explains unsupported DATABASE_URLs', async () => {
    await expect(openEventStore('postgres://db/auditbot')).rejects.toThrow(
      /PostgreSQL support is not available yet.*sqlite:/,
    );
    await expect(openEventStore('postgresql://db/auditbot')).rejects.toThrow(/not available yet/);
    for (const url of ['mysql://db', './auditbot.db', 'sqlite:', '']) {
      await expect(openEventStore(url)).rejects.toThrow(/DATABASE_URL.*sqlite:/);
    }
  });

  it('keeps a batch all-or-nothing when the database rejects a row mid-batch', async () => {
    const store = openSqliteStore(':memory:');
    await store.append([auditEvent()]);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(store.append([auditEvent(), auditEvent({ details: circular })])).rejects.toThrow(/Event 1/);
    expect(await store.count(wideFilter())).toBe(1);
    await store.close();
  });
});
