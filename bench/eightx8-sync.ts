/**
 * `node bin/run-ts.js bench/eightx8-sync.ts [--events N] [--real-minute]`: 8x8 API sync throughput
 * from the local fake into SQLite with the rate limit off (target ≥ 5,000 events/s), beside a
 * same-run reference (normalize + append of the same items, no HTTP); then the default rate limit
 * (100/min) measured as the busiest rolling minute of requests the fake saw — on virtual time by
 * default, on the wall clock for 65 s with --real-minute.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAuditbot } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { AuditEvent } from '../src/domain/audit-event.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { syncAllOnce } from '../src/sources/eightx8/sync-loops.js';
import type { SyncSummary } from '../src/sources/eightx8/sync-runner.js';
import { normalizeApiItem } from '../src/sources/normalize-api.js';
import { makeAuditItems, startFakeEightX8Api } from '../test/fakes/eightx8-api.js';
import { thousands } from './stats.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    'real-minute': { type: 'boolean' },
    // Internal: the child process that plays the remote API, so its work is not billed to the sync.
    'serve-fake': { type: 'string' },
  },
});
const N = Number(values.events);
if (!Number.isInteger(N) || N < 1000) throw new Error('--events must be a whole number ≥ 1,000');
const CUSTOMER = 'bench-customer';
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'auditbot-sync-bench-'));
const out = (line = '') => process.stdout.write(`${line}\n`);
const silent = createLogger({ level: 'silent' });

async function auditbotOn(file: string, env: Record<string, string>, clock: () => number) {
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, file)}`,
    AUDITBOT_CUSTOMER_ID: CUSTOMER,
    AUDITBOT_LOG_LEVEL: 'silent',
    EIGHTX8_API_KEY: 'test-api-key',
    ...env,
  });
  return createAuditbot(config, { clock, logger: silent, metrics: createMetrics({ defaultMetrics: false }) });
}

function summaryOf(outcomes: Awaited<ReturnType<typeof syncAllOnce>>): SyncSummary {
  const [outcome] = outcomes;
  if (!outcome || 'error' in outcome) throw outcome?.error ?? new Error('no target');
  return outcome.summary;
}

/** The most requests inside any rolling window of `ms`. */
function busiest(stamps: number[], ms: number): number {
  let most = 0;
  let from = 0;
  for (let to = 0; to < stamps.length; to += 1) {
    while ((stamps[to] ?? 0) - (stamps[from] ?? 0) >= ms) from += 1;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

if (values['serve-fake'] !== undefined) {
  const at = Number(values['serve-fake']);
  const fake = await startFakeEightX8Api();
  fake.add(makeAuditItems({ count: N, start: at - 89 * DAY, end: at - 1000, customerId: CUSTOMER }));
  process.stdout.write(`${fake.url}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  await fake.close();
  process.exit(0);
}

/** The fake API in a child process (as the real API is remote); resolves its base URL. */
function spawnFake(at: number): Promise<{ url: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    ['bin/run-ts.js', 'bench/eightx8-sync.ts', '--serve-fake', String(at), '--events', String(N)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) =>
      resolve({ url: chunk.toString().trim(), stop: () => child.stdin.end() }),
    );
  });
}

out(`8x8 sync benchmark — ${thousands(N)} events over 90 days, Node ${process.version}, ${new Date().toISOString()}`);
const now = Date.now();
const items = makeAuditItems({ count: N, start: now - 89 * DAY, end: now - 1000, customerId: CUSTOMER });

// 1. Throughput, rate limit off: fake (child process) → HTTP → normalize → SQLite.
{
  const fake = await spawnFake(now);
  const auditbot = await auditbotOn(
    'sync.db',
    { EIGHTX8_API_URL: fake.url, EIGHTX8_RATE_LIMIT_PER_MINUTE: '0' },
    Date.now,
  );
  const started = performance.now();
  const summary = summaryOf(await syncAllOnce({ store: auditbot.store, config: auditbot.config, logger: silent }));
  const seconds = (performance.now() - started) / 1000;
  await auditbot.close();
  fake.stop();

  // Same-run reference: the same items normalized and appended in the same batches, no HTTP.
  const reference = await auditbotOn('reference.db', {}, Date.now);
  const refStarted = performance.now();
  let batch: AuditEvent[] = [];
  for (const item of items) {
    const normalized = normalizeApiItem(item, { customerId: CUSTOMER });
    if (normalized.ok) batch.push(normalized.event);
    if (batch.length === 1000) {
      await reference.store.append(batch);
      batch = [];
    }
  }
  await reference.store.append(batch);
  const refSeconds = (performance.now() - refStarted) / 1000;
  await reference.close();

  out();
  out('Sync throughput, rate limit off (EIGHTX8_RATE_LIMIT_PER_MINUTE=0)');
  out(
    `  sync:       ${thousands(summary.inserted)} events, ${summary.pages} pages, ${summary.windows} windows in ${seconds.toFixed(2)} s → ${thousands(Math.round(summary.inserted / seconds))} events/s (target ≥ 5,000)`,
  );
  out(
    `  reference:  normalize + append without HTTP in ${refSeconds.toFixed(2)} s → ${thousands(Math.round(N / refSeconds))} events/s`,
  );
}

// 2. Default limit (100/min per key): the requests the fake saw, per rolling minute and 10 s.
{
  const limited = Math.min(N, 30_000);
  const real = values['real-minute'] === true;
  const clock = { now };
  const fake = await startFakeEightX8Api({ clock: () => (real ? Date.now() : clock.now) });
  fake.add(items.slice(0, limited));
  const auditbot = await auditbotOn('limited.db', { EIGHTX8_API_URL: fake.url }, () => (real ? Date.now() : clock.now));
  const controller = new AbortController();
  const virtualSleep = async (ms: number) => {
    clock.now += ms;
  };
  const env = {
    store: auditbot.store,
    config: auditbot.config,
    logger: silent,
    ...(real ? { clock: () => Date.now() } : { clock: () => clock.now, sleep: virtualSleep }),
  };
  if (real) setTimeout(() => controller.abort(new Error('time is up')), 65_000);
  const outcomes = await syncAllOnce(env, { signal: controller.signal }).catch(() => []);
  const stamps = fake.requests.map((r) => r.at).sort((a, b) => a - b);
  const spanMinutes = ((stamps.at(-1) ?? 0) - (stamps[0] ?? 0)) / 60_000;
  await auditbot.close();
  await fake.close();
  out();
  out(`Default rate limit (100 requests/min per key), ${real ? 'wall clock, 65 s' : 'virtual time'}`);
  out(
    `  ${thousands(stamps.length)} requests over ${spanMinutes.toFixed(1)} min${outcomes.length ? ` (${thousands(limited)} events)` : ''}`,
  );
  out(
    `  busiest rolling minute: ${busiest(stamps, 60_000)} requests (limit 100); busiest 10 s: ${busiest(stamps, 10_000)} (burst 20)`,
  );
}
rmSync(dir, { recursive: true, force: true });
