/**
 * `npm run bench:queries [-- --events N --queries Q --url postgres://… --stores sqlite|postgres|both]`: Q generated hostile queries
 * (test/helpers/hostile-queries.ts), parsed and resolved as a command does, against N demo events on
 * SQLite and on PostgreSQL. For each store: how many were refused by the parser, answered, or stopped
 * as too broad, and the p50 / p99 / max of a command's reads (first page + capped count) beside the
 * raw SQL of the same page on the same database in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import type { EventFilter } from '../src/domain/event-filter.js';
import { parseQuery } from '../src/domain/query-language.js';
import { resolveQuery } from '../src/domain/resolve-query.js';
import { isAuditbotError } from '../src/errors.js';
import { generateDemoEvents } from '../src/sources/demo/demo-generator.js';
import type { EventStore } from '../src/store/event-store.js';
import { openPostgresStore, buildSearchSql as postgresSearchSql } from '../src/store/postgres/index.js';
import { buildSearchSql as sqliteSearchSql } from '../src/store/sqlite/filter-sql.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { hostileQuery } from '../test/helpers/hostile-queries.js';
import { fmt, percentile, thousands } from './stats.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '42' },
    /** `sqlite`, `postgres` or `both`: PostgreSQL's 1,000,000-event run takes most of an hour here. */
    stores: { type: 'string', default: 'both' },
    url: {
      type: 'string',
      default: process.env.AUDITBOT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
  },
});
const N = Number(values.events);
const Q = Number(values.queries);
const CUSTOMER = 'bench-q';
const NOW = Date.parse('2026-11-26T12:00:00.000Z');
const out = (line = '') => process.stdout.write(`${line}\n`);

const texts = fc.sample(hostileQuery, { numRuns: Q, seed: Number(values.seed) });
const filters: (EventFilter | null)[] = texts.map((text) => {
  const parsed = parseQuery(text);
  if (!parsed.ok) return null;
  const resolved = resolveQuery(parsed.query, { customerId: CUSTOMER, now: NOW, retentionDays: 90, actors: [] });
  return resolved.ok ? resolved.filter : null;
});
const accepted = filters.filter((f): f is EventFilter => f !== null);

async function load(store: EventStore): Promise<number> {
  const started = performance.now();
  let batch = [];
  for (const event of generateDemoEvents({ customerId: CUSTOMER, count: N, now: NOW, seed: 7 })) {
    batch.push(event);
    if (batch.length === 5000) {
      await store.append(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.append(batch);
  return performance.now() - started;
}

interface Run {
  samples: number[];
  tooBroad: number;
  worst: string;
}

async function measure(store: EventStore): Promise<Run> {
  const run: Run = { samples: [], tooBroad: 0, worst: '' };
  let worstMs = 0;
  for (const [i, filter] of filters.entries()) {
    if (!filter) continue;
    const started = performance.now();
    try {
      await store.search(filter, { limit: 10 });
      await store.count(filter, { limit: 1000 });
    } catch (error) {
      if (!isAuditbotError(error) || error.code !== 'query_too_broad') throw error;
      run.tooBroad += 1;
    }
    const ms = performance.now() - started;
    run.samples.push(ms);
    if (ms > worstMs) {
      worstMs = ms;
      run.worst = (texts[i] ?? '').slice(0, 50);
    }
  }
  return run;
}

async function measureRaw(query: (filter: EventFilter) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (const filter of accepted) {
    const started = performance.now();
    await query(filter);
    samples.push(performance.now() - started);
  }
  return samples;
}

function report(name: string, loadMs: number, run: Run, raw: number[]): void {
  const row = (label: string, s: number[]) =>
    `${label.padEnd(28)} p50 ${fmt(percentile(s, 50)).padStart(7)}   p99 ${fmt(percentile(s, 99)).padStart(7)}   max ${fmt(Math.max(...s)).padStart(8)} ms`;
  out(`## ${name} (${thousands(N)} events loaded in ${fmt(loadMs / 1000, 1)} s)`);
  out(row('auditbot (page + count)', run.samples));
  out(row('raw SQL (same page)', raw));
  out(
    `p99 ratio ${fmt(percentile(run.samples, 99) / percentile(raw, 99))}×   stopped as too broad: ${run.tooBroad}   slowest: ${JSON.stringify(run.worst)}`,
  );
  out();
}

out(
  `hostile-query benchmark — ${thousands(N)} events, ${thousands(Q)} generated queries (seed ${values.seed}), Node ${process.version}, ${new Date().toISOString()}`,
);
out(`refused by the parser: ${thousands(Q - accepted.length)}   run on the stores: ${thousands(accepted.length)}`);
out();

const runSqlite = values.stores !== 'postgres';
const runPostgres = values.stores !== 'sqlite';
async function benchSqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'auditbot-bench-q-'));
  try {
    const path = join(dir, 'q.db');
    const sqlite = openSqliteStore(path);
    const sqliteLoad = await load(sqlite);
    const sqliteRun = await measure(sqlite);
    const rawDb = new Database(path, { readonly: true });
    const sqliteRaw = await measureRaw(async (filter) => {
      const query = sqliteSearchSql(filter, 10);
      return rawDb.prepare(query.sql).raw().all(query.params);
    });
    rawDb.close();
    await sqlite.close();
    report('SQLite', sqliteLoad, sqliteRun, sqliteRaw);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(): Promise<void> {
  const schema = `auditbot_bench_q_${process.pid}`;
  const admin = new pg.Client({ connectionString: values.url });
  await admin.connect();
  try {
    const postgres = await openPostgresStore({ connectionString: values.url, schema });
    const postgresLoad = await load(postgres);
    const postgresRun = await measure(postgres);
    const raw = new pg.Pool({ connectionString: values.url, options: `-c search_path=${schema}`, max: 2 });
    const postgresRaw = await measureRaw(async (filter) => {
      const query = postgresSearchSql(filter, 10);
      return raw.query({ text: query.text, values: query.values, rowMode: 'array' });
    });
    await raw.end();
    await postgres.close();
    report('PostgreSQL', postgresLoad, postgresRun, postgresRaw);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await admin.end();
  }
}

if (runSqlite) await benchSqlite();
if (runPostgres) await benchPostgres();
