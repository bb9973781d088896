/**
 * `npm run bench:chat [-- --events N --concurrency 50]`: N events in SQLite, then C concurrent
 * `/audit` slash commands (real Bolt over HTTP, signed) and C concurrent Teams messages (real
 * botbuilder over HTTP) against local fakes of the Slack Web API / response_url and the Bot
 * Connector. Reports ack and first-answer latency percentiles.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createSlackSurface } from '../adapters/slack/slack-surface.js';
import { createTeamsSurface } from '../adapters/teams/surface.js';
import { createAuditbot } from '../src/app.js';
import { loadDemoEvents } from '../src/cli/demo-loader.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { createHttpApp, listen } from '../src/server/http-server.js';
import { fmt, thousands } from './stats.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '50' },
    db: { type: 'string' },
    customer: { type: 'string', default: 'bench' },
  },
});
const N = Number(values.events);
const C = Number(values.concurrency);
const SECRET = 'bench-signing-secret-000000000';
const QUERIES = [
  'op:delete when:30d',
  'entity:ringgroup when:7d',
  'app:cc region:uk-eu when:30d',
  'op:update',
  'Sales',
];
const dir = mkdtempSync(join(tmpdir(), 'auditbot-chat-bench-'));
const out = (line = '') => process.stdout.write(`${line}\n`);

const config = loadConfig({
  // --db reuses a store another benchmark left (npm run bench -- --keep) instead of loading anew.
  DATABASE_URL: `sqlite:${values.db ?? join(dir, 'chat.db')}`,
  AUDITBOT_CUSTOMER_ID: values.customer,
  AUDITBOT_ADMINS: 'slack:UADMIN,teams:aad-admin',
  AUDITBOT_REPORT_DIR: join(dir, 'reports'),
  AUDITBOT_LOG_LEVEL: 'silent',
});
const logger = createLogger({ level: 'silent' });
const auditbot = await createAuditbot(config, { logger, metrics: createMetrics({ defaultMetrics: false }) });
const start = performance.now();
const stored = (await auditbot.store.stats(values.customer)).events;
if (stored < N) await loadDemoEvents(auditbot.store, values.customer, { now: Date.now(), count: N, seed: 11 });
const events = (await auditbot.store.stats(values.customer)).events;
out(
  `chat load benchmark — ${thousands(events)} events in the store (ready in ${fmt((performance.now() - start) / 1000, 1)} s), ${C} concurrent commands`,
);

// The load and the fakes run in a worker thread with their own event loop (see chat-load-client.ts).
// Workers don't inherit tsx's loader: register it inside the worker, then load the TypeScript entry.
const clientUrl = new URL('./chat-load-client.ts', import.meta.url).href;
const client = new Worker(
  `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(clientUrl)}); });`,
  { eval: true, workerData: { concurrency: C, secret: SECRET, queries: QUERIES } },
);
const fakes = await new Promise<{ slackApiUrl: string }>((resolve) =>
  client.on('message', (m: { fakes?: { slackApiUrl: string }; line?: string }) => {
    if (m.fakes) resolve(m.fakes);
    if (m.line) out(m.line);
  }),
);
const slack = createSlackSurface({
  auditbot,
  env: { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fakes.slackApiUrl },
  logger,
});
const teams = createTeamsSurface({ auditbot, env: { AUDITBOT_TEAMS_ALLOW_UNAUTHENTICATED: 'true' }, logger });
if (!slack || !teams) throw new Error('surfaces not configured');
await slack.start();
await teams.start();
const server = await listen(
  createHttpApp({
    config,
    store: auditbot.store,
    logger,
    metrics: auditbot.metrics,
    mounts: [slack.mount, teams.mount],
  }),
  0,
  '127.0.0.1',
);
client.postMessage({ base: `http://127.0.0.1:${server.port}` });
await new Promise<void>((resolve, reject) => {
  client.on('message', (m: { done?: boolean }) => m.done && resolve());
  client.on('error', reject);
});
await client.terminate();
await server.close();
await slack.stop();
await teams.stop();
await auditbot.close();
rmSync(dir, { recursive: true, force: true });
