/**
 * `npm run bench [-- --events N]`: auditbot beside raw SQLite on the same data, in the same run.
 * Import rate, search p50/p99 for four representative queries plus free text, whole command p99,
 * 50,000-row CSV export time and peak RSS growth. See README "Benchmarks".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { renderText } from '../adapters/console/render.js';
import { commandContext, createAuditbot } from '../src/app.js';
import { isNotice, resolveInput } from '../src/bot/query-input.js';
import { loadConfig } from '../src/config.js';
import type { AuditEvent } from '../src/domain/audit-event.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { writeReport } from '../src/reports/csv-report.js';
import { generateDemoEvents } from '../src/sources/demo/demo-generator.js';
import { buildSearchSql } from '../src/store/sqlite/filter-sql.js';
import { insertParams, openRawDatabase, rawCsvExport, rawInsertBatch } from './raw-reference.js';
import { fmt, peakRssGrowth, percentile, sample, thousands } from './stats.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '300' },
    keep: { type: 'boolean' },
  },
});
const N = Number(values.events);
const RUNS = Number(values.runs);
if (!Number.isInteger(N) || N < 60_000)
  throw new Error('--events must be a whole number ≥ 60,000 (the CSV export needs 50,000 rows)');

const CUSTOMER = 'bench-customer';
const NOW = Date.parse('2026-11-26T12:00:00.000Z');
const dir = mkdtempSync(join(tmpdir(), 'auditbot-bench-'));
const dbPath = join(dir, 'auditbot.db');
const out = (line = '') => process.stdout.write(`${line}\n`);

const config = loadConfig({
  DATABASE_URL: `sqlite:${dbPath}`,
  AUDITBOT_CUSTOMER_ID: CUSTOMER,
  AUDITBOT_REPORT_DIR: join(dir, 'reports'),
  AUDITBOT_LOG_LEVEL: 'silent',
});
const auditbot = await createAuditbot(config, {
  clock: () => NOW,
  logger: createLogger({ level: 'silent' }),
  metrics: createMetrics({ defaultMetrics: false }),
});
const rawImportDb = openRawDatabase(join(dir, 'raw-import.db'));

out(`auditbot benchmark — ${thousands(N)} events, Node ${process.version}, ${new Date().toISOString()}`);
out(`databases in ${dir}`);

// 1. Import: auditbot's append (validation, fingerprint, JSON) vs raw batched INSERT of prepared parameters.
let appendMs = 0;
let rawMs = 0;
let batch: AuditEvent[] = [];
const flush = async () => {
  let start = performance.now();
  await auditbot.store.append(batch);
  appendMs += performance.now() - start;
  const rows = insertParams(batch).map((row) => [...row, NOW]);
  start = performance.now();
  rawInsertBatch(rawImportDb, rows);
  rawMs += performance.now() - start;
  batch = [];
};
for (const event of generateDemoEvents({ customerId: CUSTOMER, count: N, now: NOW, seed: 7 })) {
  batch.push(event);
  if (batch.length === 1000) await flush();
}
if (batch.length) await flush();
rawImportDb.close();
const importRate = N / (appendMs / 1000);
const rawRate = N / (rawMs / 1000);
out();
out('## Import (1,000-event batches)');
out(
  `auditbot append  ${thousands(importRate)} events/s   raw INSERT ${thousands(rawRate)} events/s   ratio ${fmt(rawRate / importRate)}× (raw/auditbot)`,
);

// 2. Search: store.search vs the very SQL it runs, on a second connection to the same file.
const rawDb = new Database(dbPath, { readonly: true });
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
const commandSamples: number[] = [];
for (const [label, text] of QUERIES) {
  const ctx = commandContext(auditbot, principal, config.defaultTenant, text);
  const input = await resolveInput(ctx, text);
  if (isNotice(input)) throw new Error(`${text}: ${input.text}`);
  const ours = await sample(() => auditbot.store.search(input.filter, { limit: config.pageSize }), RUNS);
  const { sql, params } = buildSearchSql(input.filter, config.pageSize, null);
  const stmt = rawDb.prepare(sql);
  stmt.raw(true);
  const raw = await sample(() => stmt.all(params), RUNS);
  const ratio = percentile(ours, 99) / percentile(raw, 99);
  out(
    `${label.padEnd(30)} ${fmt(percentile(ours, 50)).padStart(8)} ${fmt(percentile(ours, 99)).padStart(6)} ${fmt(percentile(raw, 50)).padStart(12)} ${fmt(percentile(raw, 99)).padStart(6)} ${fmt(ratio).padStart(10)}×`,
  );
  commandSamples.push(
    ...(await sample(
      async () => renderText(await auditbot.bot.handle({ principal, workspace: { platform: 'console' }, text })),
      Math.ceil(RUNS / 3),
      5,
    )),
  );
}
out();
out('## whole command (parse + resolve + search + count + names + freshness + access record + render)');
out(
  `p50 ${fmt(percentile(commandSamples, 50))} ms   p99 ${fmt(percentile(commandSamples, 99))} ms   (${commandSamples.length} commands over the five queries)`,
);

// 3. CSV export of 50,000 rows: auditbot's streaming report vs raw SELECT + naive CSV.
async function* take(events: AsyncIterable<AuditEvent>, n: number): AsyncGenerator<AuditEvent> {
  let i = 0;
  for await (const e of events) {
    if (i++ >= n) return;
    yield e;
  }
}
const exportFilter = { customerId: CUSTOMER, range: { start: 0, end: NOW + 1 } };
let start = performance.now();
const { result: parts, growthBytes } = await peakRssGrowth(() =>
  writeReport(take(auditbot.store.stream(exportFilter), 50_000), {
    directory: join(dir, 'reports'),
    baseName: 'bench',
  }),
);
const exportMs = performance.now() - start;
start = performance.now();
await rawCsvExport(rawDb, CUSTOMER, 50_000, join(dir, 'raw.csv'));
const rawExportMs = performance.now() - start;
out();
out('## CSV export, 50,000 rows');
out(
  `auditbot ${fmt(exportMs / 1000)} s (${parts.reduce((s, p) => s + p.rows, 0)} rows, peak RSS growth ${fmt(growthBytes / 1024 / 1024, 1)} MB)   raw SELECT + naive CSV ${fmt(rawExportMs / 1000)} s   ratio ${fmt(exportMs / rawExportMs)}×`,
);

rawDb.close();
await auditbot.close();
if (!values.keep) rmSync(dir, { recursive: true, force: true });
