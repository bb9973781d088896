import { type ChildProcess, execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServe } from '../helpers/serve-process.js';

/*
 * PostgreSQL stopped and started again under a running `auditbot serve`: clear 503s while it is down,
 * answers again without a restart once it is back, nothing lost. The server is a throwaway cluster
 * this test creates on its own port — the machine's shared PostgreSQL is never touched.
 */
const TOKEN = 'outage-ingest-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'auditbot-pg-outage-'));
const data = join(dir, 'data');
const children: ChildProcess[] = [];
let port = 0;

/** initdb refuses root; the cluster then belongs to the postgres user. */
const asRoot = userInfo().uid === 0;
function pgTool(tool: string, args: string[]): void {
  const [command, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', tool, ...args]] : [tool, args];
  execFileSync(command, argv, { stdio: 'ignore', timeout: 60_000 });
}

function haveTools(): boolean {
  try {
    execFileSync('initdb', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = haveTools();
const start = () =>
  pgTool('pg_ctl', [
    '-D',
    data,
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
    '-w',
    '-l',
    join(dir, 'log'),
    'start',
  ]);
const stop = () => pgTool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address ? address.port : 0;
}

beforeAll(async () => {
  if (!available) return;
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), -1);
  port = await freePort();
  pgTool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres']);
  start();
}, 90_000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  if (available) {
    try {
      stop();
    } catch {
      // Already stopped.
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function event(id: string) {
  return {
    id,
    auditTimestamp: new Date(Date.now() - 60_000).toISOString(),
    eventType: 'update',
    service: 'platform',
    entityType: 'user',
    entityKey: `key-${id}`,
  };
}

describe.runIf(available)('PostgreSQL outage under auditbot serve', () => {
  it('answers 503 with a sentence while the database is down and recovers without a restart', async () => {
    const serve = await spawnServe(
      {
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
        AUDITBOT_CUSTOMER_ID: 'outage',
        AUDITBOT_INGEST_TOKEN: TOKEN,
      },
      children,
    );
    const ingest = (id: string) =>
      fetch(`${serve.base}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify([event(id)]),
        signal: AbortSignal.timeout(20_000),
      });

    expect((await ingest('before')).status).toBe(200);
    stop();

    const down = await ingest('during');
    expect(down.status).toBe(503);
    const body = (await down.json()) as { error: string; message: string; hint: string };
    expect(body.error).toBe('store_unavailable');
    expect(body.message).toMatch(/^The event store cannot be reached right now \((ECONNREFUSED|no connection)\); /);
    expect(body.hint).toMatch(/try again in a moment/);
    const health = await fetch(`${serve.base}/healthz`);
    expect(health.status).toBe(503);

    start();
    let after = await ingest('during');
    for (let tries = 0; after.status !== 200 && tries < 50; tries++) {
      await new Promise((r) => setTimeout(r, 200));
      after = await ingest('during');
    }
    expect(after.status).toBe(200);
    expect(((await after.json()) as { accepted: number }).accepted).toBe(1);
    expect((await fetch(`${serve.base}/healthz`)).status).toBe(200);
    expect(((await (await ingest('before')).json()) as { duplicate: number }).duplicate).toBe(1);
    expect(serve.child.exitCode).toBeNull();
    // One warning for the outage, not one per alert poll.
    expect(serve.log().match(/alert passes paused/g)?.length ?? 0).toBeLessThanOrEqual(1);
  }, 90_000);
});
