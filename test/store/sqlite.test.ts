import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventFilter } from '../../src/domain/event-filter.js';
import { openEventStore } from '../../src/store/open-store.js';
import { buildSearchSql, RARE_TEXT_MATCHES, type TextPlan } from '../../src/store/sqlite/filter-sql.js';
import { applyMigrations, MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openSqliteDatabase } from '../../src/store/sqlite/open.js';
import { openSqliteStore, SqliteEventStore } from '../../src/store/sqlite/sqlite-store.js';
import { collectPages, describeEventStoreContract } from './contract.js';
import { auditEvent, BASE_TIME, isoAt, seededRandom, TENANT, wideFilter } from './fixtures.js';

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
    // postgres:// URLs go to the PostgreSQL store (test/store/postgres.test.ts); port 1 refuses at once.
    await expect(openEventStore('postgresql://127.0.0.1:1/auditbot')).rejects.toThrow(
      'Cannot use PostgreSQL at 127.0.0.1:1/auditbot (ECONNREFUSED)',
    );
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

describe('SQLite free-text plans', () => {
  it('gives the same answer whether text search starts from the FTS index or the time index', async () => {
    const db = openSqliteDatabase(':memory:');
    const store = new SqliteEventStore(db);
    const common = Array.from({ length: RARE_TEXT_MATCHES + 50 }, (_, i) =>
      auditEvent({ id: `c-${i}`, auditTimestamp: isoAt(i % 37), displayName: i % 3 === 0 ? 'Common Rare' : 'Common' }),
    );
    await store.append(common);
    for (const text of [['common'], ['rare'], ['common', 'rare']]) {
      const filter = wideFilter({ text, eventTypes: { include: ['update'], exclude: [] } });
      const idsBy = (plan: TextPlan) => {
        const query = buildSearchSql(filter, 5000, null, plan);
        return db
          .prepare(query.sql)
          .raw(true)
          .all(query.params)
          .map((row) => (row as unknown[])[0]);
      };
      const expected = common.filter((e) => text.every((t) => e.displayName?.toLowerCase().includes(t))).length;
      expect(idsBy('fts-first')).toHaveLength(expected);
      expect(idsBy('fts-first')).toEqual(idsBy('index-first'));
      expect(await store.count(filter)).toBe(expected);
      const page = await store.search(filter, { limit: 10 });
      expect(page.events.map((e) => e.id)).toEqual(idsBy('index-first').slice(0, 10));
    }
    await store.close();
  });

  it('answers a page with its capped count in one read exactly as search and count do', async () => {
    const store = new SqliteEventStore(openSqliteDatabase(':memory:'));
    const events = Array.from({ length: RARE_TEXT_MATCHES + 50 }, (_, i) =>
      auditEvent({ id: `c-${i}`, auditTimestamp: isoAt(i % 37), displayName: i % 3 === 0 ? 'Common Rare' : 'Common' }),
    );
    const lonely = Array.from({ length: 12 }, (_, i) => auditEvent({ id: `l-${i}`, displayName: 'Lonely' }));
    await store.append([...events, ...lonely]);
    const filters = [
      wideFilter({ text: ['common'] }),
      wideFilter({ text: ['lonely'] }),
      wideFilter({ text: ['rare'] }),
      wideFilter({ text: ['nowhere'] }),
      wideFilter({ eventTypes: { include: ['update'], exclude: [] } }),
    ];
    for (const filter of filters) {
      for (const countLimit of [1, 10, 1001, 100_000]) {
        const first = await store.search(filter, { limit: 25 });
        const counted = await store.searchCounted(filter, { limit: 25, countLimit });
        expect(counted).toEqual({ page: first, count: await store.count(filter, { limit: countLimit }) });
        const cursor = first.nextCursor;
        if (cursor === null) continue;
        const next = await store.searchCounted(filter, { limit: 25, cursor, countLimit });
        expect(next.page).toEqual(await store.search(filter, { limit: 25, cursor }));
      }
    }
    await store.close();
  });

  it('finds a common word day by day whatever order the events were stored in, and after a prune', async () => {
    const path = freshPath();
    const store = openSqliteStore(path);
    const random = seededRandom(11);
    const words = ['Sales Team', 'Salesforce sync', 'Support', 'Sales'];
    // Stored in random time order over 40 days: each day's seq range spans most of the table.
    const events = Array.from({ length: RARE_TEXT_MATCHES * 2 }, (_, i) =>
      auditEvent({
        id: `s-${i}`,
        auditTimestamp: new Date(BASE_TIME - Math.floor(random() * 40 * 86_400_000)).toISOString(),
        displayName: words[i % words.length],
      }),
    );
    for (let i = 0; i < events.length; i += 500) await store.append(events.slice(i, i + 500));
    // What the whole match set gives (the query before slicing), as the reference.
    const db = new Database(path);
    const expectIds = (filter: EventFilter) => {
      const query = buildSearchSql(filter, 100_000, null, 'index-first');
      return db
        .prepare(query.sql)
        .raw(true)
        .all(query.params)
        .map((row) => (row as unknown[])[0]);
    };
    const window = { start: BASE_TIME - 20 * 86_400_000, end: BASE_TIME - 3 * 86_400_000 };
    for (const text of [['sales'], ['SALESF'], ['sal', 'team'], ['nothing']]) {
      for (const range of [wideFilter().range, window]) {
        const filter = wideFilter({ text, range });
        const expected = expectIds(filter);
        if (text[0] === 'sales' && range !== window) expect(expected.length).toBeGreaterThan(RARE_TEXT_MATCHES);
        expect((await collectPages(store, filter, 7)).map((e) => e.id)).toEqual(expected);
        expect(await store.count(filter)).toBe(expected.length);
        expect(await store.count(filter, { limit: 100 })).toBe(Math.min(100, expected.length));
      }
    }
    const cutoff = BASE_TIME - 25 * 86_400_000 + 3_600_000;
    const before = expectIds(wideFilter({ text: ['sales'] })).length;
    await store.prune(cutoff);
    const filter = wideFilter({ text: ['sales'] });
    const left = expectIds(filter);
    expect(left.length).toBeGreaterThan(0);
    expect(left.length).toBeLessThan(before);
    expect((await collectPages(store, filter, 50)).map((e) => e.id)).toEqual(left);
    db.close();
    await store.close();
  });

  it('starts each page at its cursor instead of rescanning newer events', () => {
    const db = openSqliteDatabase(':memory:');
    const cursorPage = buildSearchSql(
      wideFilter(),
      10,
      Buffer.from(JSON.stringify([Date.parse(isoAt(3)), 'x'])).toString('base64url'),
    );
    expect(cursorPage.params).toContain(Date.parse(isoAt(3)) + 1);
    const plan = db.prepare(`EXPLAIN QUERY PLAN ${cursorPage.sql}`).all(cursorPage.params) as { detail: string }[];
    expect(plan.map((step) => step.detail).join()).toMatch(/ts<\?/);
    db.close();
  });
});
