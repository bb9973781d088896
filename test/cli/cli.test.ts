import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const BIN = resolve('bin/auditbot.js');
const dir = mkdtempSync(join(tmpdir(), 'auditbot-cli-'));
const env = {
  ...process.env,
  DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`,
  AUDITBOT_CUSTOMER_ID: 'cli-tenant',
  AUDITBOT_LOG_LEVEL: 'warn',
  USER: 'tester',
};

function run(args: string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

beforeAll(async () => {
  const demo = await run(['demo', '--count', '2000']);
  expect(demo.stderr).toBe('');
  expect(demo.stdout).toMatch(/2000 demo events stored/);
}, 60_000);

describe('auditbot CLI', () => {
  it('prints usage and refuses unknown verbs with exit code 2', async () => {
    expect((await run(['help'])).stdout).toMatch(/auditbot serve/);
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it('is idempotent when loading the demo again', async () => {
    expect((await run(['demo', '--count', '2000'])).stdout).toMatch(/^0 demo events stored \(2000 already present\)/);
  });

  it('answers one reply per piped console line', async () => {
    const { code, stdout } = await run(['console'], 'op:delete when:7d\nusr:alice\nstatus\n');
    expect(code).toBe(0);
    const replies = stdout.trim().split('\n\n');
    expect(replies).toHaveLength(3);
    expect(replies[0]).toMatch(/events match `op:delete when:7d`|No events match/);
    expect(replies[1]).toMatch(/did you mean `who:`/);
    expect(replies[2]).toMatch(/Events stored/);
  });

  it('queries as text, JSON and CSV', async () => {
    const text = await run(['query', 'op:delete']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/deleted/);
    const json = await run(['query', 'op:delete', '--json']);
    const events = JSON.parse(json.stdout) as { eventType: string; customerId: string }[];
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.eventType === 'delete' && e.customerId === 'cli-tenant')).toBe(true);
    const csv = await run(['query', 'op:delete', '--csv']);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^displayName,customerId,auditTimestamp/);
    expect(lines.length).toBeGreaterThanOrEqual(events.length + 1);
    const bad = await run(['query', 'op:delet']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/op:delete/);
  });

  it('writes a report file and round-trips it through import', async () => {
    const out = join(dir, 'deletes.csv');
    const report = await run(['report', 'op:delete', '-o', out]);
    expect(report.code).toBe(0);
    expect(readdirSync(dir)).toContain('deletes.csv');
    const imported = await run(['import', out]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/0 accepted, \d+ duplicate, 0 rejected/);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toMatch(/^\ufeffdisplayName,customerId/);
  });

  it('exits 3 when some rows were refused (the good ones stored), and --strict stores nothing', async () => {
    const line = (id: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        id,
        auditTimestamp: '2026-11-20T10:00:00Z',
        eventType: 'delete',
        service: 'platform',
        entityType: 'ringgroup',
        entityKey: `key-${id}`,
        displayName: `Group ${id}`,
        auditUserId: 'u-1',
        ...extra,
      });
    const partial = join(dir, 'partial.ndjson');
    writeFileSync(partial, [line('part-1'), line('part-2', { eventType: 42 }), line('part-3')].join('\n'));
    const mixed = await run(['import', partial]);
    expect(mixed.code).toBe(3);
    expect(mixed.stdout).toMatch(/2 accepted, 0 duplicate, 1 rejected/);
    expect(mixed.stdout).toMatch(/line 2: /);
    expect(mixed.stderr).toMatch(/1 of 3 rows refused/);
    expect((await run(['import', partial])).code).toBe(3);

    const strictFile = join(dir, 'strict.ndjson');
    writeFileSync(
      strictFile,
      [line('strict-1'), line('strict-2'), line('strict-3', { auditTimestamp: 'soon' })].join('\n'),
    );
    const strict = await run(['import', strictFile, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/line 3: .*nothing was imported \(--strict/);
    const stored = await run(['query', 'key:key-strict-1,key-strict-2', '--json']);
    expect(JSON.parse(stored.stdout)).toEqual([]);

    writeFileSync(strictFile, [line('strict-1'), line('strict-2')].join('\n'));
    const clean = await run(['import', strictFile, '--strict']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/2 accepted, 0 duplicate, 0 rejected/);
  });

  it('explains bad usage', async () => {
    expect((await run(['report', 'op:delete'])).stderr).toMatch(/missing -o <file>/);
    expect((await run(['import'])).code).toBe(2);
    expect((await run(['import', join(dir, 'missing.csv')])).code).toBe(1);
  });
});
