import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watermarkKey } from '../../src/sources/eightx8/sync-state.js';
import { type ApiItem, type FakeEightX8Api, makeAuditItems, startFakeEightX8Api } from '../fakes/eightx8-api.js';

/*
 * kill -9 of a real `auditbot sync --once` in the middle of a 90-day backfill: the watermark never
 * says more than what is stored, and the next run stores every event of the API exactly once.
 */
const BIN = resolve('bin/auditbot.js');
const DAY = 86_400_000;
const TENANT = 'sync-kill';
const EVENTS = 6000;
const dir = mkdtempSync(join(tmpdir(), 'auditbot-kill-sync-'));
const path = join(dir, 'sync.db');
const children: ChildProcess[] = [];
let fake: FakeEightX8Api;
let items: ApiItem[];

function sync(): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'sync', '--once'], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${path}`,
      AUDITBOT_CUSTOMER_ID: TENANT,
      AUDITBOT_LOG_LEVEL: 'warn',
      EIGHTX8_API_KEY: 'test-api-key',
      EIGHTX8_API_URL: fake.url,
      EIGHTX8_RATE_LIMIT_PER_MINUTE: '0',
    },
    stdio: 'ignore',
  });
  children.push(child);
  return { child, done: new Promise((done) => child.on('close', (code) => done(code))) };
}

function read<T>(work: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  fake = await startFakeEightX8Api();
  const now = Date.now();
  items = makeAuditItems({ count: EVENTS, start: now - 89 * DAY, end: now - 60_000, customerId: TENANT });
  fake.add(items);
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 mid-sync', () => {
  it('keeps the watermark within what is stored, and the next run completes it exactly once', async () => {
    // Every page answers slowly, so the kill lands inside the backfill.
    fake.inject(...Array.from({ length: 400 }, () => ({ kind: 'delay' as const, ms: 25 })));
    const first = sync();
    const audits = () => fake.requests.filter((r) => r.path.endsWith('/audits')).length;
    const deadline = Date.now() + 60_000;
    // Past the first 31-day window (about 21 pages of 100), inside the second.
    while (audits() < 30) {
      if (Date.now() > deadline) throw new Error('the sync never reached its second window');
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    expect(await first.done).toBeNull();

    const { ids, watermark } = read((db) => ({
      ids: new Set(db.prepare('SELECT id FROM events WHERE customer_id = ?').pluck().all(TENANT) as string[]),
      watermark: JSON.parse(
        (db
          .prepare('SELECT value FROM kv WHERE key = ?')
          .pluck()
          .get(watermarkKey({ customerId: TENANT, service: 'platform', region: null })) as string | undefined) ??
          'null',
      ) as string | null,
    }));
    expect(ids.size).toBeLessThan(EVENTS);
    if (watermark !== null) {
      // Every API event before the watermark is stored: the watermark promises no more than that.
      const missing = items.filter((item) => item.auditTimestamp < watermark && !ids.has(item.id));
      expect(missing.map((item) => item.id)).toEqual([]);
    }

    fake.inject();
    const second = sync();
    expect(await second.done).toBe(0);
    const stored = read(
      (db) => db.prepare('SELECT id FROM events WHERE customer_id = ?').pluck().all(TENANT) as string[],
    );
    expect(stored.length).toBe(EVENTS);
    expect(new Set(stored)).toEqual(new Set(items.map((item) => item.id)));
    process.stdout.write(
      `kill -9 mid-sync: ${ids.size} stored and watermark ${watermark ?? 'none'} at the kill; ${stored.length} of ${EVENTS} once after the re-run\n`,
    );
  }, 120_000);
});
