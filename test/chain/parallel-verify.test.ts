import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChainInParallel } from '../../src/chain/parallel-verify.js';
import { verifyChain } from '../../src/chain/verify-chain.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { auditEvent } from '../store/fixtures.js';

/*
 * The parallel check (one worker thread a stretch, each on its own connection) gives the verdict the
 * one-thread walk gives: intact, and the same first breach with the same classification wherever
 * it falls.
 */
const dir = mkdtempSync(join(tmpdir(), 'auditbot-parallel-verify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TENANT = 'cust-acme';
const EVENTS = 3_000;

async function chainedStore(name: string): Promise<string> {
  const path = join(dir, `${name}.db`);
  const store = openSqliteStore(path);
  const at = Date.UTC(2026, 10, 1);
  await store.append(
    Array.from({ length: EVENTS }, (_, i) =>
      auditEvent({ id: `pv-${i}`, auditTimestamp: new Date(at + i * 1000).toISOString(), displayName: `Group ${i}` }),
    ),
  );
  await store.close();
  return path;
}

async function bothVerdicts(path: string) {
  const store = openSqliteStore(path);
  try {
    const options = { publicKey: null, workers: 3, parallelFrom: 100 };
    return {
      parallel: await verifyChainInParallel(`sqlite:${path}`, store.chain, TENANT, options),
      sequential: await verifyChain(store.chain, TENANT, { publicKey: null }),
    };
  } finally {
    await store.close();
  }
}

describe('verify in worker threads', () => {
  it('says intact with the same counts as the one-thread walk', async () => {
    const { parallel, sequential } = await bothVerdicts(await chainedStore('intact'));
    expect(parallel).toEqual(sequential);
    expect(parallel.intact).toBe(true);
    expect(parallel.events).toBe(EVENTS);
  }, 60_000);

  for (const [name, sql, kind] of [
    ['altered in the last stretch', "UPDATE events SET display_name = 'x' WHERE id = 'pv-2500'", 'altered'],
    ['deleted in the middle stretch', "DELETE FROM events WHERE id = 'pv-1500'", 'deleted'],
    ['deleted link in the first stretch', "DELETE FROM event_chain WHERE event_id = 'pv-10'", 'deleted'],
  ] as const) {
    it(`names the same first breach: ${name}`, async () => {
      const path = await chainedStore(name.replaceAll(' ', '-'));
      const db = new Database(path);
      db.exec(sql);
      db.close();
      const { parallel, sequential } = await bothVerdicts(path);
      expect(parallel.breach).toEqual(sequential.breach);
      expect(parallel.breach?.kind).toBe(kind);
    }, 60_000);
  }
});
