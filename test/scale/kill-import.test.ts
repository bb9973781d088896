import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';

/*
 * kill -9 of a real `auditbot import` half-way through a file, then the same import again: every
 * event of the file is stored exactly once, on SQLite and on PostgreSQL.
 */
const BIN = resolve('bin/auditbot.js');
const EVENTS = 40_000;
const TENANT = 'kill-tenant';
const dir = mkdtempSync(join(tmpdir(), 'auditbot-kill-import-'));
const file = join(dir, 'events.ndjson');
const children: ChildProcess[] = [];
const available = await postgresAvailable('test/scale/kill-import.test.ts');
const schemas = testSchemas('killimport');

writeFileSync(
  file,
  Array.from({ length: EVENTS }, (_, i) =>
    JSON.stringify({
      id: `k-${i}`,
      auditTimestamp: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
      eventType: i % 7 === 0 ? 'delete' : 'update',
      service: 'platform',
      entityType: 'ringgroup',
      entityKey: `rg-${i % 500}`,
      displayName: `Ring group ${i % 500}`,
      auditUserId: `u-${i % 9}`,
      details: { new: { members: [i, i + 1] }, old: { members: [i] } },
    }),
  ).join('\n'),
);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  if (available) await schemas.dropAll();
});

function importProcess(databaseUrl: string): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'import', file], {
    env: { ...process.env, DATABASE_URL: databaseUrl, AUDITBOT_CUSTOMER_ID: TENANT, AUDITBOT_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  children.push(child);
  return { child, done: new Promise((done) => child.on('close', (code) => done(code))) };
}

/** Kills the import once `count()` shows it half-way in, then runs it again to the end. */
async function killThenResume(databaseUrl: string, count: () => Promise<number>): Promise<number> {
  const first = importProcess(databaseUrl);
  let seen = 0;
  const deadline = Date.now() + 60_000;
  while (seen < EVENTS * 0.25 || seen >= EVENTS * 0.8) {
    if (Date.now() > deadline) throw new Error(`the import never got half-way in (${seen} stored)`);
    await new Promise((r) => setTimeout(r, 20));
    seen = await count().catch(() => 0);
  }
  first.child.kill('SIGKILL');
  expect(await first.done).toBeNull();
  const afterKill = await count();
  expect(afterKill).toBeGreaterThanOrEqual(seen);
  expect(afterKill).toBeLessThan(EVENTS);
  const second = importProcess(databaseUrl);
  expect(await second.done).toBe(0);
  return afterKill;
}

describe('kill -9 mid-import', () => {
  it('SQLite: the re-run stores the rest, every event exactly once', async () => {
    const path = join(dir, 'kill.db');
    const reader = () => new Database(path, { readonly: true, fileMustExist: true });
    const count = async () => {
      const db = reader();
      try {
        return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
      } finally {
        db.close();
      }
    };
    const killedAt = await killThenResume(`sqlite:${path}`, count);
    const db = reader();
    const ids = db.prepare('SELECT id FROM events WHERE customer_id = ?').pluck().all(TENANT) as string[];
    const integrity = db.pragma('integrity_check', { simple: true });
    db.close();
    expect(integrity).toBe('ok');
    expect(ids.length).toBe(EVENTS);
    expect(new Set(ids).size).toBe(EVENTS);
    process.stdout.write(`kill -9 mid-import (SQLite): killed at ${killedAt} of ${EVENTS}, all ${EVENTS} once\n`);
  }, 120_000);

  it.runIf(available)(
    'PostgreSQL: the re-run stores the rest, every event exactly once',
    async () => {
      const schema = schemas.fresh();
      const url = new URL(TEST_DATABASE_URL);
      url.searchParams.set('schema', schema);
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      const table = `${pg.escapeIdentifier(schema)}.events`;
      const count = async () => Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0);
      try {
        const killedAt = await killThenResume(url.toString(), count);
        const ids = await client.query<{ id: string }>(`SELECT id FROM ${table} WHERE customer_id = $1`, [TENANT]);
        expect(ids.rows.length).toBe(EVENTS);
        expect(new Set(ids.rows.map((r) => r.id)).size).toBe(EVENTS);
        process.stdout.write(
          `kill -9 mid-import (PostgreSQL): killed at ${killedAt} of ${EVENTS}, all ${EVENTS} once\n`,
        );
      } finally {
        await client.end();
      }
    },
    120_000,
  );
});
