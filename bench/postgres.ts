/**
 * `npm run bench:postgres [-- --events N] [--runs N] [--url postgres://…] [--keep]`: auditbot on
 * PostgreSQL beside the raw SQL it runs, on the same database in the same run. Import rate (the import
 * command's batches, postgres-import.ts) against the same statements fed pre-built parameters on as
 * many connections; search p50/p99 for the
 * queries of bench/run.ts against the very SQL text and parameters on a plain pg client.
 * Each run works in schemas of its own and drops them at the end (unless --keep; the raw import
 * reference's schema is dropped as soon as it is measured).
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { commandContext, createAuditbot } from '../src/app.js';
import { isNotice, resolveInput } from '../src/bot/query-input.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { generateDemoEvents } from '../src/sources/demo/demo-generator.js';
import { buildSearchSql, openPostgresStore } from '../src/store/postgres/index.js';
import { measureImport } from './postgres-import.js';
import { fmt, percentile, sample, thousands } from './stats.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '300' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    keep: { type: 'boolean' },
  },
});
const N = Number(values.events);
const RUNS = Number(values.runs);
if (!Number.isInteger(N) || N < 10_000) throw new Error('--events must be a whole number ≥ 10,000');
const URL_ = values.url;
const CUSTOMER = 'bench-customer';
const NOW = Date.parse('2026-11-26T12:00:00.000Z');
const SCHEMA = `auditbot_bench_${process.pid}`;
const RAW_SCHEMA = `${SCHEMA}_raw`;
const out = (line = '') => process.stdout.write(`${line}\n`);

/** A plain client in a schema: the reference has none of auditbot's code around the SQL. */
async function rawClient(schema: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: URL_, options: `-c search_path=${schema}` });
  await client.connect();
  return client;
}

const store = await openPostgresStore({ connectionString: URL_, schema: SCHEMA });
const rawImportStore = await openPostgresStore({ connectionString: URL_, schema: RAW_SCHEMA });
const config = loadConfig({ DATABASE_URL: URL_, AUDITBOT_CUSTOMER_ID: CUSTOMER, AUDITBOT_LOG_LEVEL: 'silent' });
const auditbot = await createAuditbot(config, {
  clock: () => NOW,
  store,
  logger: createLogger({ level: 'silent' }),
  metrics: createMetrics({ defaultMetrics: false }),
});
const admin = await rawClient(SCHEMA);
const server = (await admin.query<{ v: string }>('SELECT version() AS v')).rows[0]?.v.split(' on ')[0];
out(
  `auditbot PostgreSQL benchmark — ${thousands(N)} events, Node ${process.version}, ${server}, ${new Date().toISOString()}`,
);
out(`schemas ${SCHEMA} (auditbot) and ${RAW_SCHEMA} (raw import reference)`);

// 1. Import: what `auditbot import` does with the events against the statements it sends (postgres-import.ts).
// Creates the raw schema's partitions for the whole 90-day history (the raw INSERT cannot).
await rawImportStore.append(Array.from(generateDemoEvents({ customerId: 'warm-up', count: 500, now: NOW, seed: 1 })));
await rawImportStore.close();
const imported = await measureImport(store, { url: URL_, schema: RAW_SCHEMA }, () =>
  generateDemoEvents({ customerId: CUSTOMER, count: N, now: NOW, seed: 7 }),
);
out();
out(`## Import (1,000-event batches, ${imported.connections} under way at once)`);
out(
  `auditbot import  ${thousands(imported.auditbotRate)} events/s   raw SQL ${thousands(imported.rawRate)} events/s   ratio ${fmt(imported.rawRate / imported.auditbotRate)}× (raw/auditbot)`,
);

// Autovacuum analyses new partitions soon after a bulk load; the benchmark does not wait for it.
let start = performance.now();
await admin.query('SET statement_timeout = 0');
await admin.query('VACUUM (ANALYZE) events');
out(`(VACUUM ANALYZE after import: ${fmt((performance.now() - start) / 1000, 1)} s)`);

// 2. Search: store.search vs the very SQL it runs, on another connection to the same schema.
const principal = { platform: 'console' as const, id: 'bench' };
const actors = await auditbot.actors.list(CUSTOMER);
const someActor = actors.find((a) => a.name)?.name?.split(' ')[0] ?? 'alice';
const QUERIES = [
  ['deletes, whole window', 'op:delete'],
  ['one actor, 30 days', `who:${someActor} when:30d`],
  ['ring groups, 7 days', 'entity:ringgroup when:7d'],
  ['CC uk-eu queues, 30 days', 'app:cc region:uk-eu entity:queue when:30d'],
  ['free text', 'Sales'],
] as const;

out();
out(`## search, first page of ${config.pageSize} (${RUNS} runs each; ms)`);
out('query                          auditbot p50   p99    raw SQL p50   p99    p99 ratio');
for (const [label, text] of QUERIES) {
  const ctx = commandContext(auditbot, principal, config.defaultTenant, text);
  const input = await resolveInput(ctx, text);
  if (isNotice(input)) throw new Error(`${text}: ${input.text}`);
  const ours = await sample(() => auditbot.store.search(input.filter, { limit: config.pageSize }), RUNS);
  const query = buildSearchSql(input.filter, config.pageSize, null);
  const raw = await sample(() => admin.query({ text: query.text, values: query.values, rowMode: 'array' }), RUNS);
  const ratio = percentile(ours, 99) / percentile(raw, 99);
  out(
    `${label.padEnd(30)} ${fmt(percentile(ours, 50)).padStart(8)} ${fmt(percentile(ours, 99)).padStart(6)} ${fmt(percentile(raw, 50)).padStart(12)} ${fmt(percentile(raw, 99)).padStart(6)} ${fmt(ratio).padStart(10)}×`,
  );
}

start = performance.now();
const counted = await store.count({ customerId: CUSTOMER, range: { start: 0, end: NOW + 1 } }, { limit: 1000 });
out();
out(`count capped at 1,000 (a "1,000+" header): ${counted} in ${fmt(performance.now() - start)} ms`);
// Tenant summaries scan the tenant; the store reuses them until it writes (or 10 s for other writers).
for (const [label, summarise] of [
  ['stats', () => store.stats(CUSTOMER)],
  ['facets', () => store.facets(CUSTOMER)],
] as const) {
  start = performance.now();
  await summarise();
  out(`${label}, first call (a full pass over the tenant): ${fmt(performance.now() - start)} ms`);
}

await auditbot.close();
if (!values.keep) {
  await admin.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
  await admin.query(`DROP SCHEMA IF EXISTS ${RAW_SCHEMA} CASCADE`);
}
await admin.end();
