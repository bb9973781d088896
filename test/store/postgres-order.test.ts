import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/chain/verify-chain.js';
import { applyMigrations, createPool, MIGRATIONS, openPostgresStore } from '../../src/store/postgres/index.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';
import { auditEvent, TENANT } from './fixtures.js';

const DATABASE_URL = TEST_DATABASE_URL;
const schemas = testSchemas('order');
/** A schema of this run that no test used before. */
const freshSchema = () => schemas.fresh();

const available = await postgresAvailable('test/store/postgres-order.test.ts');

afterAll(async () => {
  if (available) await schemas.dropAll();
});

function inspect(schema: string): pg.Pool {
  return createPool({ connectionString: DATABASE_URL, schema, poolMax: 2 }).pool;
}

const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 0, 1, 0, minute, second)).toISOString();

/**
 * Appends queued behind `holder` (a backend pid) for the seq counter, their keys already inserted:
 * the first waits for the holder, the next for the first (PostgreSQL queues row-lock waiters).
 */
async function waitingToReserve(pool: pg.Pool, holder: number): Promise<number> {
  const result = await pool.query<{ pid: number; blockers: number[] }>(
    "SELECT pid, pg_blocking_pids(pid) AS blockers FROM pg_stat_activity WHERE query LIKE 'WITH reserved AS%'",
  );
  const queued = new Set([holder]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const { pid, blockers } of result.rows) {
      if (queued.has(pid) || !blockers.some((blocker) => queued.has(blocker))) continue;
      queued.add(pid);
      grew = true;
    }
  }
  return queued.size - 1;
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!available)('PostgreSQL storage order', () => {
  it('lets a reader that follows eventsAfter see every event of two instances appending at once', async () => {
    const schema = freshSchema();
    const writers = await Promise.all(
      [1, 2].map(() => openPostgresStore({ connectionString: DATABASE_URL, schema, poolMax: 4 })),
    );
    const reader = await openPostgresStore({ connectionString: DATABASE_URL, schema, poolMax: 2 });
    const seen: string[] = [];
    let cursor = 0;
    const follow = async () => {
      for (const { seq, event } of await reader.eventsAfter(cursor, 500)) {
        seen.push(event.id);
        cursor = seq;
      }
    };
    let writing = true;
    const following = (async () => {
      while (writing) await follow();
    })();
    await Promise.all(
      writers.map((store, w) =>
        (async () => {
          for (let batch = 0; batch < 20; batch++) {
            const events = Array.from({ length: 40 }, (_, i) =>
              auditEvent({ id: `w${w}-b${batch}-${i}`, auditTimestamp: at(batch, i) }),
            );
            await store.append(events);
          }
        })(),
      ),
    );
    writing = false;
    await following;
    await follow();
    expect(seen).toHaveLength(2 * 20 * 40);
    expect(new Set(seen).size).toBe(seen.length);
    // Both instances appended to one tenant's chain at once: it is gap-free and verifies.
    const verdict = await verifyChain(reader.chain, TENANT, { publicKey: null });
    expect(verdict.breach).toBeNull();
    expect(verdict.events).toBe(2 * 20 * 40);
    expect(verdict.head?.position).toBe(2 * 20 * 40);
    await Promise.all([...writers, reader].map((store) => store.close()));
  }, 60_000);

  it('stores two appends side by side and orders them only at commit', async () => {
    const schema = freshSchema();
    const [first, second] = await Promise.all(
      [1, 2].map(() => openPostgresStore({ connectionString: DATABASE_URL, schema, poolMax: 2 })),
    );
    if (!first || !second) throw new Error('stores did not open');
    const pool = inspect(schema);
    // Hold the counter, as a third append about to commit would.
    const holder = await pool.connect();
    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
    await holder.query('BEGIN');
    await holder.query('SELECT next_seq FROM append_counter FOR UPDATE');
    const big = first.append(
      Array.from({ length: 600 }, (_, i) => auditEvent({ id: `big-${i}`, auditTimestamp: at(1, i % 60) })),
    );
    // Another tenant: appends of one tenant also take turns at its chain head just before commit
    // (src/store/postgres/chain.ts); different tenants' appends never wait for each other.
    const small = second.append([auditEvent({ id: 'small', customerId: 'other-tenant', auditTimestamp: at(2) })]);
    // Both got as far as reserving seqs: neither waited for the other while storing its events.
    await until(async () => (await waitingToReserve(pool, holderPid)) === 2, 'both appends wait only for the counter');
    expect(await first.eventsAfter(0, 10)).toEqual([]);
    await holder.query('COMMIT');
    holder.release();
    expect((await big).inserted).toBe(600);
    expect((await small).inserted).toBe(1);

    const all = await first.eventsAfter(0, 1000);
    expect(all).toHaveLength(601);
    expect((await first.chain.head('other-tenant'))?.position).toBe(1);
    const seqs = all.map((s) => s.seq);
    expect(new Set(seqs).size).toBe(601);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // One call's events keep their order and stay together, whichever committed first.
    const bigIds = all.filter((s) => s.event.id.startsWith('big-')).map((s) => s.event.id);
    expect(bigIds).toEqual(Array.from({ length: 600 }, (_, i) => `big-${i}`));
    expect(await first.latestSeq()).toBe(seqs.at(-1));
    await pool.end();
    await Promise.all([first.close(), second.close()]);
  }, 30_000);

  it('pages through calls whose seq ranges have gaps (duplicates) without skipping or repeating', async () => {
    const schema = freshSchema();
    const store = await openPostgresStore({ connectionString: DATABASE_URL, schema, poolMax: 2 });
    await store.append(Array.from({ length: 5 }, (_, i) => auditEvent({ id: `a${i}`, auditTimestamp: at(3, i) })));
    // Every other event of this call is a duplicate: its range holds gaps.
    await store.append(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 === 0
          ? auditEvent({ id: `a${i / 2}`, auditTimestamp: at(3, i / 2) })
          : auditEvent({ id: `b${i}`, auditTimestamp: at(4, i) }),
      ),
    );
    await store.append([auditEvent({ id: 'c', auditTimestamp: at(5) })]);
    const expected = ['a0', 'a1', 'a2', 'a3', 'a4', 'b1', 'b3', 'b5', 'b7', 'b9', 'c'];
    for (const limit of [1, 3, 4, 7, 100]) {
      const seen: string[] = [];
      let cursor = 0;
      for (;;) {
        const page = await store.eventsAfter(cursor, limit);
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(limit);
        seen.push(...page.map((s) => s.event.id));
        cursor = page.at(-1)?.seq ?? cursor;
      }
      expect(seen).toEqual(expected);
    }
    // A full page is returned even when the first batches it reads hold fewer events than seqs.
    expect((await store.eventsAfter(5, 4)).map((s) => s.event.id)).toEqual(['b1', 'b3', 'b5', 'b7']);
    await store.close();
  });

  it('keeps every stored seq when a version 6 schema is migrated, and never hands out a pruned one again', async () => {
    const schema = freshSchema();
    const pool = inspect(schema);
    await pool.query(`CREATE SCHEMA ${schema}`);
    await applyMigrations(
      pool,
      MIGRATIONS.filter((m) => m.version <= 6),
    );
    const january = Date.UTC(2026, 0, 1);
    await pool.query(
      `CREATE TABLE events_p2026_01 PARTITION OF events FOR VALUES FROM (${january}) TO (${Date.UTC(2026, 1, 1)})`,
    );
    for (const [i, id] of ['old-1', 'old-2', 'old-3'].entries()) {
      const ts = january + i * 1000;
      await pool.query(
        "INSERT INTO event_keys (customer_id, id, fingerprint, ts) VALUES ('cust-1', $1, decode(md5($1), 'hex'), $2)",
        [id, ts],
      );
      await pool.query(
        `INSERT INTO events (customer_id, id, ts, event_type, service, entity_type, entity_type_key, entity_key, source, stored_at, search)
         VALUES ('cust-1', $1, $2, 'DELETE', 'UC', 'User', 'user', 'u-1', 'api', 0, ''::tsvector)`,
        [id, ts],
      );
    }
    // The newest-stored event was pruned: an alert cursor may already point at its seq (3).
    await pool.query("DELETE FROM events WHERE id = 'old-3'; DELETE FROM event_keys WHERE id = 'old-3'");
    await pool.end();

    const store = await openPostgresStore({ connectionString: DATABASE_URL, schema, poolMax: 2 });
    const old = await store.eventsAfter(0, 10);
    expect(old.map((s) => [s.seq, s.event.id])).toEqual([
      [1, 'old-1'],
      [2, 'old-2'],
    ]);
    expect(await store.latestSeq()).toBe(3);
    await store.append([auditEvent({ id: 'new', auditTimestamp: at(6) })]);
    expect((await store.eventsAfter(3, 10)).map((s) => [s.seq, s.event.id])).toEqual([[4, 'new']]);
    await store.close();
  });
});
