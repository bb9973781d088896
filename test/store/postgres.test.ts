import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import type { EventStore } from '../../src/store/event-store.js';
import { openEventStore } from '../../src/store/open-store.js';
import {
  appliedVersions,
  applyMigrations,
  createPool,
  EXCLUSIVE_LOCK,
  MIGRATIONS,
  migratePostgres,
  openPostgresStore,
  Partitions,
  partitionFor,
} from '../../src/store/postgres/index.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';
import { describeEventStoreContract } from './contract.js';
import { auditEvent, OTHER_TENANT, TENANT, wideFilter } from './fixtures.js';

const DATABASE_URL = TEST_DATABASE_URL;
const schemas = testSchemas('test');
/** A schema of this run that no test used before. */
const freshSchema = () => schemas.fresh();

const available = await postgresAvailable('test/store/postgres.test.ts');

afterAll(async () => {
  if (available) await schemas.dropAll();
});

/** A raw pool on a schema, for looking at what the store did. */
function inspect(schema: string): pg.Pool {
  return createPool({ connectionString: DATABASE_URL, schema, poolMax: 2 }).pool;
}

/** The contract wants an empty store each time: one schema for the run, emptied per test. */
const contractSchema = freshSchema();
async function emptyStore(): Promise<EventStore> {
  const store = await openPostgresStore({ connectionString: DATABASE_URL, schema: contractSchema, poolMax: 4 });
  const pool = inspect(contractSchema);
  await pool.query(
    'DELETE FROM events; DELETE FROM event_keys; DELETE FROM append_commits; UPDATE append_counter SET next_seq = 1; DELETE FROM kv; DELETE FROM alert_outbox; DELETE FROM alert_pacing; DELETE FROM tenant_values',
  );
  await pool.end();
  return store;
}

const VERSIONS = MIGRATIONS.map((m) => m.version);
const LATEST = Math.max(...VERSIONS);

describe.skipIf(!available)('PostgreSQL', () => {
  describeEventStoreContract('postgres', emptyStore);

  describe('migrations', () => {
    it('applies each version once, records it, and does nothing the second time', async () => {
      const schema = freshSchema();
      const store = await openPostgresStore({ connectionString: DATABASE_URL, schema });
      await store.close();
      const pool = inspect(schema);
      expect(await appliedVersions(pool)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await applyMigrations(pool)).toEqual([]);
      const extra = [...MIGRATIONS, { version: 100, name: 'probe', sql: 'CREATE TABLE probe (x int)' }];
      expect(await applyMigrations(pool, extra)).toEqual([100]);
      expect(await applyMigrations(pool, extra)).toEqual([]);
      await pool.end();
      await expect(openPostgresStore({ connectionString: DATABASE_URL, schema })).rejects.toThrow(
        new RegExp(`version 100, newer than this auditbot understands \\(${LATEST}\\)`),
      );
    });

    it('migrates once when several instances open a new schema at the same moment', async () => {
      const schema = freshSchema();
      // A migration that fails if run twice (CREATE TABLE), so a double run would show as an error.
      const extra = [...MIGRATIONS, { version: 99, name: 'probe', sql: 'CREATE TABLE probe (x int)' }];
      const pools = [inspect(schema), inspect(schema), inspect(schema)];
      await pools[0]?.query(`CREATE SCHEMA ${schema}`);
      const applied = await Promise.all(pools.map((pool) => applyMigrations(pool, extra)));
      expect(applied.flat().sort((a, b) => a - b)).toEqual([...VERSIONS, 99]);
      expect(applied.filter((versions) => versions.length > 0)).toEqual([[...VERSIONS, 99]]);
      await Promise.all(pools.map((pool) => pool.end()));

      const fresh = freshSchema();
      const stores = await Promise.all(
        [1, 2, 3].map(() => openPostgresStore({ connectionString: DATABASE_URL, schema: fresh, poolMax: 2 })),
      );
      await stores[0]?.append([auditEvent()]);
      expect(await stores[2]?.count(wideFilter())).toBe(1);
      await Promise.all(stores.map((store) => store.close()));
    });
  });

  describe('exclusive work across instances', () => {
    it("runs a name in one instance at a time, and frees it when the holder's connection dies", async () => {
      const schema = freshSchema();
      const [one, two] = await Promise.all(
        [1, 2].map(() => openPostgresStore({ connectionString: DATABASE_URL, schema, poolMax: 2 })),
      );
      if (!one || !two) throw new Error('two stores');
      let release: () => void = () => undefined;
      const held = one.runExclusive('sync:t/platform', () => new Promise<void>((done) => (release = done)));
      await new Promise((r) => setTimeout(r, 100));
      expect(await two.runExclusive('sync:t/platform', async () => 'two')).toEqual({ ran: false });
      expect(await two.runExclusive('sync:t/contactcenter', async () => 'other')).toEqual({
        ran: true,
        value: 'other',
      });
      release();
      await held;
      expect(await two.runExclusive('sync:t/platform', async () => 'two')).toEqual({ ran: true, value: 'two' });

      // A holder that dies: its lock connection is terminated by the server, the name is free again.
      const stuck = one.runExclusive('alerts:matcher', () => new Promise<void>(() => undefined));
      await new Promise((r) => setTimeout(r, 100));
      expect(await two.runExclusive('alerts:matcher', async () => 1)).toEqual({ ran: false });
      const admin = inspect(schema);
      // Only this test's holder: the lock on (EXCLUSIVE_LOCK, hashtext('<schema>:alerts:matcher')).
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = $1 AND granted AND classid = $2 ' +
          'AND objid::bigint = (hashtext($3)::bigint + 4294967296) % 4294967296',
        ['advisory', EXCLUSIVE_LOCK, `${schema}:alerts:matcher`],
      );
      await admin.end();
      expect(await two.runExclusive('alerts:matcher', async () => 1, { waitMs: 5000, retryMs: 50 })).toEqual({
        ran: true,
        value: 1,
      });
      void stuck;
      await Promise.all([one.close(), two.close()]);
    }, 30_000);
  });

  describe('partitions', () => {
    const at = (iso: string) => auditEvent({ auditTimestamp: iso });
    const names = async (schema: string) => {
      const pool = inspect(schema);
      const list = await new Partitions(pool).list();
      await pool.end();
      return list.map((p) => p.name);
    };

    it('creates this month and the next at open, older months on demand', async () => {
      const schema = freshSchema();
      const store = await openPostgresStore({ connectionString: DATABASE_URL, schema });
      const now = Date.now();
      const ahead = [partitionFor(now).name, partitionFor(partitionFor(now).to).name];
      expect(await names(schema)).toEqual(ahead);
      await store.append([at('2024-02-29T23:59:59.999Z'), at('2024-03-01T00:00:00.000Z')]);
      expect(await names(schema)).toEqual(['events_p2024_02', 'events_p2024_03', ...ahead]);
      await store.close();
    });

    it('drops whole months on prune, deletes row by row only in the month the instant falls in', async () => {
      const schema = freshSchema();
      const store = await openPostgresStore({ connectionString: DATABASE_URL, schema });
      const jan = at('2025-01-10T00:00:00.000Z');
      const feb = [
        at('2025-02-03T00:00:00.000Z'),
        auditEvent({ auditTimestamp: '2025-02-04T00:00:00.000Z', customerId: OTHER_TENANT }),
      ];
      const mar = [at('2025-03-02T00:00:00.000Z'), at('2025-03-20T00:00:00.000Z')];
      await store.append([jan, ...feb, ...mar]);
      expect(await store.prune(Date.parse('2025-02-01T00:00:00.000Z'), TENANT)).toBe(1);
      expect(await names(schema)).toContain('events_p2025_01');
      expect(await store.prune(Date.parse('2025-03-10T00:00:00.000Z'))).toBe(3);
      const left = await names(schema);
      expect(left).not.toContain('events_p2025_01');
      expect(left).not.toContain('events_p2025_02');
      expect(left).toContain('events_p2025_03');
      expect(
        (await store.search(wideFilter({ range: { start: 0, end: Date.now() } }), { limit: 10 })).events.map(
          (e) => e.id,
        ),
      ).toEqual([mar[1]?.id]);
      // The dropped events' keys went with them: the same events can be stored again.
      expect((await store.append([jan, ...feb])).inserted).toBe(3);
      await store.close();
    });

    it('recreates a month another instance dropped while this one still thought it existed', async () => {
      const schema = freshSchema();
      const writer = await openPostgresStore({ connectionString: DATABASE_URL, schema });
      const pruner = await openPostgresStore({ connectionString: DATABASE_URL, schema });
      await writer.append([at('2025-05-05T00:00:00.000Z')]);
      expect(await pruner.prune(Date.parse('2025-06-01T00:00:00.000Z'))).toBe(1);
      expect(await names(schema)).not.toContain('events_p2025_05');
      expect((await writer.append([at('2025-05-06T00:00:00.000Z')])).inserted).toBe(1);
      expect(await names(schema)).toContain('events_p2025_05');
      await Promise.all([writer.close(), pruner.close()]);
    });
  });

  describe('PostgreSQL specifics', () => {
    let schema = '';
    const open = (overrides: { summaryTtlMs?: number } = {}) =>
      openPostgresStore({ connectionString: DATABASE_URL, schema, poolMax: 3, ...overrides });

    it('stores each event once when two instances append the same events at the same moment', async () => {
      schema = freshSchema();
      const [a, b] = await Promise.all([open(), open()]);
      // Two instances syncing the same page: the same events, in the same order, several chunks each.
      const events = Array.from({ length: 700 }, () => auditEvent());
      const results = await Promise.all([a!.append(events), b!.append(events)]);
      expect(results[0]!.inserted + results[1]!.inserted).toBe(700);
      expect(results[0]!.outcomes.map((outcome, i) => [outcome, results[1]!.outcomes[i]].sort())).toEqual(
        events.map(() => ['duplicate', 'inserted']),
      );
      expect(await a!.count(wideFilter())).toBe(700);
      await Promise.all([a!.close(), b!.close()]);
    });

    it('keeps a call of several chunks all-or-nothing and settles duplicates across its chunks', async () => {
      schema = freshSchema();
      const store = await open();
      const events = Array.from({ length: 600 }, () => auditEvent());
      const bad = [...events.slice(0, 550), { ...auditEvent(), eventType: 'explode' } as unknown as AuditEvent];
      await expect(store.append(bad)).rejects.toThrow(/Event 550 is invalid: eventType/);
      expect(await store.count(wideFilter())).toBe(0);
      const withRepeat = [...events, { ...events[10]!, id: 'same-content-other-id' }, events[400]!];
      const result = await store.append(withRepeat);
      expect(result.inserted).toBe(600);
      expect(result.outcomes.slice(600)).toEqual(['duplicate', 'duplicate']);
      await store.close();
    });

    it('refuses text PostgreSQL cannot hold, naming the event and field', async () => {
      schema = freshSchema();
      const store = await open();
      await expect(store.append([auditEvent(), auditEvent({ displayName: 'a\u0000b' })])).rejects.toThrow(
        /Event 1 is invalid: displayName: contains a NUL character/,
      );
      const lone = auditEvent({ displayName: 'broken \ud800 pair', rawDetails: 'x\\ud800' });
      expect((await store.append([lone])).inserted).toBe(1);
      expect(await store.get(TENANT, lone.id)).toMatchObject({
        displayName: 'broken \ufffd pair',
        rawDetails: 'x\\ud800',
      });
      await store.close();
    });

    it('folds case and diacritics in free text as SQLite does, and treats tsquery syntax as words', async () => {
      schema = freshSchema();
      const store = await open();
      await store.append([
        auditEvent({ id: 'umlaut', displayName: 'Überweisung Zürich' }),
        auditEvent({ id: 'ops', displayName: 'a&b | !c <-> d:*' }),
      ]);
      const ids = async (...text: string[]) =>
        (await store.search(wideFilter({ text }), { limit: 5 })).events.map((e) => e.id);
      expect(await ids('uberw')).toEqual(['umlaut']);
      expect(await ids('ZÜRICH')).toEqual(['umlaut']);
      expect(await ids('a&b', '!c')).toEqual(['ops']);
      expect(await ids('<->')).toHaveLength(2);
      await store.close();
    });

    it('opens through openEventStore for postgres:// URLs, with ?schema=', async () => {
      schema = freshSchema();
      const store = await openEventStore(`${DATABASE_URL}?schema=${schema}`);
      expect(store.kind).toBe('postgres');
      await store.append([auditEvent()]);
      expect((await store.stats(TENANT)).sizeBytes).toBeGreaterThan(0);
      await store.close();
      const report = await migratePostgres({ connectionString: `${DATABASE_URL}?schema=${schema}` });
      expect(report).toMatchObject({ applied: [], versions: VERSIONS });
      expect(report.target).toBe(`127.0.0.1:5432/test schema ${schema}`);
    });

    it("sees another instance's writes in summaries once their reuse time is over", async () => {
      schema = freshSchema();
      const [server, importer] = await Promise.all([open({ summaryTtlMs: 0 }), open()]);
      expect((await server.stats(TENANT)).events).toBe(0);
      await importer.append([auditEvent({ auditUserId: 'imported-actor', service: 'imported-service' })]);
      expect((await server.stats(TENANT)).events).toBe(1);
      expect((await server.actors(TENANT)).map((a) => a.id)).toContain('imported-actor');
      expect((await server.facets(TENANT)).services).toEqual(['imported-service']);
      await Promise.all([server.close(), importer.close()]);
    });
  });
});
