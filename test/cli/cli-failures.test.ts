import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Every failure of the real CLI ends in one sentence (and a hint), a non-zero exit and no stack
 * trace; a reader that stops reading is not a failure.
 */
const BIN = resolve('bin/auditbot.js');
const dir = mkdtempSync(join(tmpdir(), 'auditbot-cli-fail-'));
const base: NodeJS.ProcessEnv = {
  ...process.env,
  AUDITBOT_CUSTOMER_ID: 'cli-tenant',
  AUDITBOT_LOG_LEVEL: 'warn',
  PORT: '0',
};
for (const name of Object.keys(base)) if (/^(SLACK_|MICROSOFT_APP_|EIGHTX8_)/.test(name)) delete base[name];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string>, shell?: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = shell
      ? spawn('bash', ['-o', 'pipefail', '-c', shell], { env: { ...base, ...env, BIN, NODE: process.execPath } })
      : spawn(process.execPath, [BIN, ...args], { env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** One sentence naming the problem (plus an optional hint line), never a stack frame. */
function expectOneSentence(result: Run, pattern: RegExp): void {
  expect(result.code, result.stderr).not.toBe(0);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at |Error: |\.ts:\d+/);
  expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
}

const database = `sqlite:${join(dir, 'good.db')}`;
let holder: ReturnType<typeof createServer>;
let heldPort = 0;

beforeAll(async () => {
  writeFileSync(join(dir, 'random.db'), readFileSync(BIN));
  mkdirSync(join(dir, 'a-directory.db'));
  writeFileSync(join(dir, 'plain-file'), 'not a folder');
  const demo = await run(['demo', '--count', '300'], { DATABASE_URL: database });
  expect(demo.code, demo.stderr).toBe(0);
  holder = createServer();
  await new Promise<void>((ready) => holder.listen(0, '0.0.0.0', ready));
  const address = holder.address();
  heldPort = typeof address === 'object' && address ? address.port : 0;
}, 60_000);

afterAll(() => new Promise<void>((done) => holder.close(() => done())));

describe.concurrent('CLI failures: one sentence, non-zero exit, no stack trace', () => {
  it.each([
    ['garbage', 'garbage://nowhere', /DATABASE_URL "garbage:\/\/nowhere" is not a database URL/],
    ['a directory', `sqlite:${join(dir, 'a-directory.db')}`, /it is a directory/],
    ['a file that is not a database', `sqlite:${join(dir, 'random.db')}`, /is not a SQLite database/],
    ['a path through a file', `sqlite:${join(dir, 'plain-file', 'x.db')}`, /part of its path is a file/],
    ['PostgreSQL nobody listens on', 'postgres://auditbot@127.0.0.1:1/none', /Cannot use PostgreSQL at 127\.0\.0\.1:1/],
  ])('DATABASE_URL that is %s', async (_, url, message) => {
    expectOneSentence(await run(['query', 'op:delete'], { DATABASE_URL: url }), message);
  });

  it('serve on a port already in use', async () => {
    const result = await run(['serve'], { DATABASE_URL: database, PORT: String(heldPort) });
    expect(result.stderr).toMatch(new RegExp(`PORT ${heldPort} is already in use`));
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at |EADDRINUSE/);
  }, 30_000);

  it.each([
    [
      'SLACK_SIGNING_SECRET',
      { SLACK_BOT_TOKEN: 'xoxb-123' },
      /SLACK_SIGNING_SECRET: not set — copy it from .*Signing Secret/,
    ],
    ['SLACK_BOT_TOKEN', { SLACK_SIGNING_SECRET: 'secret' }, /SLACK_BOT_TOKEN: not set — copy the Bot User OAuth Token/],
  ])(
    'a missing %s says which variable and where to find it',
    async (_, slack, message) => {
      const result = await run(['serve'], { DATABASE_URL: database, ...slack });
      expectOneSentence(result, message);
      expect(result.stderr).not.toMatch(/expected string|received undefined/);
    },
    30_000,
  );

  it('query --json | head -1 stops quietly with exit 0', async () => {
    const result = await run([], { DATABASE_URL: database }, '"$NODE" "$BIN" query when:90d --json | head -1');
    expect(result.stdout).toBe('[\n');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 30_000);
});
