import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/store/event-store.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';
import { auditEvent, TENANT } from '../store/fixtures.js';

/*
 * A store that predates the chain (its events stored, no chain tables, schema one version back) is
 * chained by `auditbot migrate`, in storage order, and `auditbot verify` then says intact, naming the
 * genesis: when the chain began and over how many events.
 */
const BIN = resolve('bin/auditbot.js');
const dir = mkdtempSync(join(tmpdir(), 'auditbot-migrate-chain-'));
const available = await postgresAvailable('test/chain/migrate-chain.test.ts');
const schemas = testSchemas('migratechain');
afterAll(async () => {
  if (available) await schemas.dropAll();
  rmSync(dir, { recursive: true, force: true });
});

function auditbot(args: string[], databaseUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl } },
      (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const events = Array.from({ length: 120 }, (_, i) =>
  auditEvent({ id: `m-${i}`, auditTimestamp: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString() }),
);
const UNCHAIN = 'DROP TABLE event_chain; DROP TABLE chain_heads; DROP TABLE chain_checkpoints;';

const backends: { name: string; url: string; open(): Promise<EventStore>; unchain(): Promise<void> }[] = [];
{
  const path = join(dir, 'old.db');
  backends.push({
    name: 'SQLite',
    url: `sqlite:${path}`,
    open: async () => openSqliteStore(path),
    unchain: async () => {
      const db = new Database(path);
      db.exec(`${UNCHAIN} DELETE FROM schema_migrations WHERE version >= 8;`);
      db.close();
    },
  });
}
if (available) {
  const schema = schemas.fresh();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('schema', schema);
  backends.push({
    name: 'PostgreSQL',
    url: url.toString(),
    open: () => openPostgresStore({ connectionString: TEST_DATABASE_URL, schema }),
    unchain: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
      await client.query(`${UNCHAIN} DELETE FROM schema_migrations WHERE version >= 10;`);
      await client.end();
    },
  });
}

for (const backend of backends) {
  describe(`a ${backend.name} store from before the chain`, () => {
    it('is chained by auditbot migrate and verifies intact, naming the genesis', async () => {
      const store = await backend.open();
      await store.append(events.slice(0, 70));
      await store.append(events.slice(70));
      await store.close();
      await backend.unchain();

      const migrated = await auditbot(['migrate'], backend.url);
      expect(migrated.code, migrated.stderr).toBe(0);
      expect(migrated.stdout).toMatch(/applied version (8|10)/);
      const verified = await auditbot(['verify'], backend.url);
      expect(verified.code, verified.stderr).toBe(0);
      expect(verified.stdout).toContain(`${TENANT}: intact: 120 events`);
      expect(verified.stdout).toMatch(
        /chain starts after position 0: chained by migration at .* over 120 events stored before the chain existed/,
      );
    }, 60_000);
  });
}
