import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../src/store/open-store.js';
import { freshnessKey } from '../../../src/store/sync-health.js';
import { type FakeEightX8Api, makeAuditItems, startFakeEightX8Api } from '../../fakes/eightx8-api.js';

const BIN = resolve('bin/auditbot.js');
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'auditbot-sync-cli-'));
const databaseUrl = `sqlite:${join(dir, 'sync.db')}`;
let fake: FakeEightX8Api;

function run(args: string[], extraEnv: Record<string, string | undefined> = {}) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    AUDITBOT_CUSTOMER_ID: 'cli-tenant',
    AUDITBOT_LOG_LEVEL: 'warn',
    EIGHTX8_API_KEY: 'test-api-key',
    EIGHTX8_API_URL: fake.url,
    EIGHTX8_RATE_LIMIT_PER_MINUTE: '0',
    ...extraEnv,
  };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  fake = await startFakeEightX8Api();
  const now = Date.now();
  fake.add(makeAuditItems({ count: 1500, start: now - 89 * DAY, end: now - 60_000, customerId: 'cli-tenant' }));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('auditbot sync --once', () => {
  it('backfills from the API into the store, prints a summary, and is idempotent on a second run', async () => {
    const first = await run(['sync', '--once']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^cli-tenant\/platform: 3 windows, \d+ pages, 1,500 events — 1,500 new, 0 duplicate\n/,
    );
    expect(first.stdout).toMatch(/\d+ requests, 0 retries; complete up to \d{4}-\d\d-\d\dT/);

    const second = await run(['sync', '--once']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/1 windows, 1 pages, 0 events — 0 new, 0 duplicate/);

    const store = await openEventStore(databaseUrl);
    try {
      expect(await store.count({ customerId: 'cli-tenant', range: { start: 0, end: Number.MAX_SAFE_INTEGER } })).toBe(
        1500,
      );
      expect(await store.getState(freshnessKey('cli-tenant'))).toMatch(/^\d{4}-/);
    } finally {
      await store.close();
    }
  }, 90_000);

  it('exits 1 with the clear 401 message and its fix when the key is wrong', async () => {
    const result = await run(['sync', '--once'], { EIGHTX8_API_KEY: 'revoked-key' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'cli-tenant/platform: failed — API key rejected — create or check it in the Admin Console under API Keys',
    );
    expect(result.stdout).not.toContain('revoked-key');
  });

  it('refuses to run without a key and a bad --since, with exit code 2', async () => {
    const noKey = await run(['sync', '--once'], { EIGHTX8_API_KEY: undefined });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/nothing to sync: set EIGHTX8_API_KEY/);
    const badSince = await run(['sync', '--once', '--since', 'last tuesday']);
    expect(badSince.code).toBe(2);
    expect(badSince.stderr).toMatch(/--since: /);
  }, 60_000);
});
