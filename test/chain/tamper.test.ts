import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointLine } from '../../src/chain/checkpoint-file.js';
import { sealChains } from '../../src/chain/checkpoints.js';
import { loadSigningKey } from '../../src/chain/signing-key.js';
import { canonicalEvent, chainHash } from '../../src/domain/chain-hash.js';
import { importFile } from '../../src/sources/import-file.js';
import { openEventStore } from '../../src/store/open-store.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';

/*
 * Tampering behind auditbot's back — raw SQL from another program (better-sqlite3, a pg client:
 * what the sqlite3 client and psql do) — is found by a real `auditbot verify` process and named:
 * altered, deleted, inserted, reordered, a forged checkpoint, and an edit whose every later hash
 * was recomputed (caught by the signed checkpoint). Each kind of tampering gets its own tenant in one
 * store, so one `verify` run answers for all of them.
 */
const BIN = resolve('bin/auditbot.js');
const dir = mkdtempSync(join(tmpdir(), 'auditbot-tamper-'));
const keyPath = join(dir, 'signing-key.pem');
const available = await postgresAvailable('test/chain/tamper.test.ts');
const schemas = testSchemas('tamper');
const EVENTS = 400;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function auditbot(args: string[], databaseUrl: string): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATABASE_URL: databaseUrl,
          AUDITBOT_SIGNING_KEY: keyPath,
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) => done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(() => {
  expect(spawnSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', keyPath]).status).toBe(0);
  spawnSync('openssl', ['pkey', '-in', keyPath, '-pubout', '-out', join(dir, 'public.pem')]);
  writeFileSync(
    join(dir, 'events.ndjson'),
    Array.from({ length: EVENTS }, (_, i) =>
      JSON.stringify({
        id: `t-${i}`,
        auditTimestamp: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
        eventType: i % 5 === 0 ? 'delete' : 'update',
        service: 'platform',
        entityType: 'ringgroup',
        entityKey: `rg-${i % 40}`,
        displayName: `Ring group ${i % 40} «ünïcode» 🚀 \ud800`,
        auditUserId: `u-${i % 7}`,
        details: { new: { members: [i, i + 1], z: 1, a: [{ y: 2, b: 0.1 }] }, old: { members: [i] } },
      }),
    ).join('\n'),
  );
});
afterAll(async () => {
  if (available) await schemas.dropAll();
  rmSync(dir, { recursive: true, force: true });
});

const COLUMNS =
  'customer_id, id, ts, event_type, service, entity_type, entity_type_key, entity_key, display_name, audit_user_id, impersonator, ' +
  'details, raw_details, correlation_type, correlation_id, access_method, region, source, stored_at';

/** What each tenant suffers, as SQL (`$t` is the tenant), and what `verify` must say of it. */
const CASES: { tenant: string; sql: string | ((backend: string) => string); expected: RegExp }[] = [
  {
    tenant: 'intact',
    sql: '',
    expected: new RegExp(`^intact: ${EVENTS} events, head [0-9a-f]{4}…, last checkpoint .* at position ${EVENTS}$`),
  },
  {
    tenant: 'altered',
    sql: "UPDATE events SET display_name = 'edited' WHERE customer_id = '$t' AND id = 't-17'",
    expected: /^NOT intact at position 18 \(event t-17\): altered event — /,
  },
  {
    tenant: 'unreadable',
    sql: "UPDATE events SET details = '{not json' WHERE customer_id = '$t' AND id = 't-60'",
    expected:
      /^NOT intact at position 61 \(event t-60\): altered event — event t-60 at position 61 cannot be read back/,
  },
  {
    tenant: 'deleted',
    sql: "DELETE FROM events WHERE customer_id = '$t' AND id = 't-40'",
    expected: /^NOT intact at position 41 \(event t-40\): deleted event — /,
  },
  {
    tenant: 'deleted-link',
    sql: "DELETE FROM events WHERE customer_id = '$t' AND id = 't-50'; DELETE FROM event_chain WHERE customer_id = '$t' AND event_id = 't-50'",
    expected: /^NOT intact at position 51 \(event t-51\): deleted event — position 51 is missing/,
  },
  {
    tenant: 'truncated',
    sql: "DELETE FROM events WHERE customer_id = '$t' AND id = 't-399'; DELETE FROM event_chain WHERE customer_id = '$t' AND pos = 400; UPDATE chain_heads SET pos = 399 WHERE customer_id = '$t'",
    expected:
      /^NOT intact at position 400: deleted event — the chain ends at position 399 but a signed checkpoint reaches position 400/,
  },
  {
    tenant: 'inserted',
    sql: (backend) =>
      `INSERT INTO events (${COLUMNS}, ${backend === 'SQLite' ? 'fingerprint' : 'search'}) SELECT customer_id, 'forged-1', ts, 'delete', ` +
      'service, entity_type, entity_type_key, entity_key, display_name, audit_user_id, impersonator, details, raw_details, ' +
      `correlation_type, correlation_id, access_method, region, source, stored_at, ${backend === 'SQLite' ? "'forged'" : "''::tsvector"} ` +
      "FROM events WHERE customer_id = '$t' AND id = 't-3'",
    expected: /^NOT intact \(event forged-1\): inserted event — /,
  },
  {
    tenant: 'swapped',
    sql:
      "UPDATE event_chain SET pos = -1 WHERE customer_id = '$t' AND pos = 300; UPDATE event_chain SET pos = 300 WHERE customer_id = '$t' AND pos = 301; " +
      "UPDATE event_chain SET pos = 301 WHERE customer_id = '$t' AND pos = -1",
    expected: /^NOT intact at position 300 \(event t-299\): reordered — event t-299 stands at position 301/,
  },
  {
    tenant: 'forged',
    sql: "UPDATE chain_checkpoints SET count = count + 1 WHERE customer_id = '$t'",
    expected: /^NOT intact at position 400: checkpoint mismatch — .* does not carry a valid signature/,
  },
  {
    tenant: 'rewritten',
    sql: "UPDATE events SET audit_user_id = 'someone-else' WHERE customer_id = '$t' AND id = 't-100'",
    expected:
      /^NOT intact at position 400 \(event t-399\): checkpoint mismatch — .* does not match the checkpoint signed/,
  },
];

/** Imports the file for every case's tenant and signs a checkpoint at each head, in this process. */
async function prepare(url: string): Promise<string> {
  const store = await openEventStore(url);
  const key = loadSigningKey({ setting: keyPath, generatedPath: keyPath, warn: () => {} });
  try {
    for (const { tenant } of CASES) await importFile(join(dir, 'events.ndjson'), { store, customerId: tenant });
    const made = await sealChains(store, key, Date.now(), { force: true });
    return made.map((checkpoint) => checkpointLine(checkpoint, key)).join('\n');
  } finally {
    await store.close();
  }
}

/** The attacker knows the algorithm: recompute every hash from the edited event (position 101) to the head. */
async function recomputeFrom(url: string, tenant: string, position: number): Promise<string> {
  const store = await openEventStore(url);
  try {
    const links = await store.chain.links(tenant, 0, 10_000);
    let previous = links[position - 2]?.hash as string;
    const updates: string[] = [];
    for (const link of links.slice(position - 1)) {
      if (!link.event) throw new Error(`event ${link.eventId} missing`);
      previous = chainHash(previous, canonicalEvent(link.event));
      updates.push(
        `UPDATE event_chain SET hash = '${previous}' WHERE customer_id = '${tenant}' AND pos = ${link.position}`,
      );
    }
    updates.push(`UPDATE chain_heads SET hash = '${previous}' WHERE customer_id = '${tenant}'`);
    return updates.join('; ');
  } finally {
    await store.close();
  }
}

interface Backend {
  name: string;
  url(): string;
  exec(url: string, sql: string): Promise<void>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    url: () => `sqlite:${join(dir, `store-${Math.random().toString(36).slice(2)}.db`)}`,
    async exec(url, sql) {
      const db = new Database(url.slice('sqlite:'.length));
      db.exec(sql);
      db.close();
    },
  },
];
if (available) {
  backends.push({
    name: 'PostgreSQL',
    url: () => {
      const url = new URL(TEST_DATABASE_URL);
      url.searchParams.set('schema', schemas.fresh());
      return url.toString();
    },
    async exec(url, sql) {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(
          `SET search_path TO ${pg.escapeIdentifier(new URL(url).searchParams.get('schema') as string)}`,
        );
        await client.query(sql);
      } finally {
        await client.end();
      }
    },
  });
}

for (const backend of backends) {
  describe(`auditbot verify on ${backend.name}, after tampering behind its back`, () => {
    const url = backend.url();
    let checkpointsFile = '';
    let run: Run;
    const lines = new Map<string, string>();

    beforeAll(async () => {
      checkpointsFile = join(dir, `${backend.name}.jsonl`);
      writeFileSync(checkpointsFile, await prepare(url));
      for (const { tenant, sql } of CASES) {
        const text = typeof sql === 'function' ? sql(backend.name) : sql;
        if (text) await backend.exec(url, text.replaceAll('$t', tenant));
      }
      await backend.exec(url, await recomputeFrom(url, 'rewritten', 101));
      run = await auditbot(['verify'], url);
      for (const line of run.stdout.split('\n')) {
        const match = /^([a-z-]+): (.*)$/.exec(line);
        if (match) lines.set(match[1] as string, match[2] as string);
      }
    }, 180_000);

    it('exits 1 and answers for every tenant', () => {
      expect(run.code, run.stderr).toBe(1);
      expect([...lines.keys()].sort()).toEqual(CASES.map((c) => c.tenant).sort());
    });

    for (const { tenant, expected } of CASES) {
      it(`${tenant}: ${expected.source.slice(1, 60)}…`, () => {
        expect(lines.get(tenant)).toMatch(expected);
      });
    }

    it('checks exported checkpoints offline against a given public key', async () => {
      const offline = await auditbot(
        ['verify', '--tenant', 'intact', '--checkpoints', checkpointsFile, '--public-key', join(dir, 'public.pem')],
        url,
      );
      expect(offline.code, offline.stderr).toBe(0);
      expect(offline.stdout).toMatch(/^intact: 400 events/);
      const other = join(dir, 'other.pem');
      spawnSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', other]);
      spawnSync('openssl', ['pkey', '-in', other, '-pubout', '-out', `${other}.pub`]);
      const wrongKey = await auditbot(
        ['verify', '--tenant', 'intact', '--checkpoints', checkpointsFile, '--public-key', `${other}.pub`],
        url,
      );
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.stdout).toContain('does not carry a valid signature');
      // A tenant wiped from the store entirely is still held to the exported checkpoints.
      await backend.exec(
        url,
        ['events', 'event_chain', 'chain_heads', 'chain_checkpoints']
          .map((table) => `DELETE FROM ${table} WHERE customer_id = 'intact'`)
          .join('; '),
      );
      const wiped = await auditbot(
        ['verify', '--checkpoints', checkpointsFile, '--public-key', join(dir, 'public.pem')],
        url,
      );
      expect(wiped.code).toBe(1);
      expect(wiped.stdout).toMatch(
        /^intact: NOT intact at position 1: deleted event — the tenant has no chain, but a checkpoint signed/m,
      );
    }, 60_000);
  });
}
