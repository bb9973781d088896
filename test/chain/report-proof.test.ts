import { execFile, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * `auditbot report` writes a proof beside the CSV, and `auditbot verify-report` checks a downloaded
 * report offline: intact with the operator's public key; refused when the file changed, when the
 * proof was signed by another key, and not vouched for when no key is pinned.
 */
const BIN = resolve('bin/auditbot.js');
const dir = mkdtempSync(join(tmpdir(), 'auditbot-report-proof-'));
const key = join(dir, 'key.pem');
const env = { PATH: process.env.PATH, DATABASE_URL: `sqlite:${join(dir, 'store.db')}`, AUDITBOT_SIGNING_KEY: key };

function auditbot(args: string[], extraEnv: Record<string, string | undefined> = env) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [BIN, ...args], { env: extraEnv, cwd: dir }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  spawnSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', key]);
  spawnSync('openssl', ['pkey', '-in', key, '-pubout', '-out', join(dir, 'key.pub')]);
  spawnSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', join(dir, 'other.pem')]);
  spawnSync('openssl', ['pkey', '-in', join(dir, 'other.pem'), '-pubout', '-out', join(dir, 'other.pub')]);
  expect((await auditbot(['demo', '--count', '500'])).code).toBe(0);
  const report = await auditbot(['report', 'op:delete', '-o', join(dir, 'deletes.csv')]);
  expect(report.code, report.stderr).toBe(0);
  expect(report.stdout).toContain(`${join(dir, 'deletes.csv')}.sha256.json`);
}, 90_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('auditbot verify-report', () => {
  it('says intact with the operator’s public key', async () => {
    const run = await auditbot(['verify-report', join(dir, 'deletes.csv'), '--public-key', join(dir, 'key.pub')], {
      PATH: process.env.PATH,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /deletes\.csv: report intact: \d+ events, sha256 [0-9a-f]{12}…, every one in the chain up to the checkpoint signed/,
    );
    const proof = JSON.parse(readFileSync(join(dir, 'deletes.csv.sha256.json'), 'utf8'));
    expect(proof.events.length).toBeGreaterThan(0);
    expect(proof.events[0]).toEqual({
      id: expect.any(String),
      position: expect.any(Number),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('refuses a key that did not sign it, and vouches for nothing without a pinned key', async () => {
    const other = await auditbot(['verify-report', join(dir, 'deletes.csv'), '--public-key', join(dir, 'other.pub')], {
      PATH: process.env.PATH,
    });
    expect(other.code).toBe(1);
    expect(other.stdout).toContain("NOT intact — the proof's signature does not verify");
    const unpinned = await auditbot(['verify-report', join(dir, 'deletes.csv')], { PATH: process.env.PATH, HOME: dir });
    expect(unpinned.code).toBe(1);
    expect(unpinned.stderr).toContain('checked only with the key inside it');
  });

  it('refuses a report changed after it was written', async () => {
    const copy = join(dir, 'edited.csv');
    writeFileSync(copy, readFileSync(join(dir, 'deletes.csv')));
    writeFileSync(`${copy}.sha256.json`, readFileSync(join(dir, 'deletes.csv.sha256.json')));
    appendFileSync(copy, 'Forged,x,2026-11-01T00:00:00.000Z,delete,platform,k,user,u,,,,,,\n');
    const run = await auditbot(['verify-report', copy, '--public-key', join(dir, 'key.pub')], {
      PATH: process.env.PATH,
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('the report was changed after auditbot wrote it');
  });
});
