/**
 * `npm run bench:chat [-- --events N --concurrency 50]`: N events in SQLite, then C concurrent
 * `/audit` slash commands (real Bolt over HTTP, signed) and C concurrent Teams messages (real
 * botbuilder over HTTP) against local fakes of the Slack Web API / response_url and the Bot
 * Connector. Reports ack and first-answer latency percentiles.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createSlackSurface } from '../adapters/slack/slack-surface.js';
import { createTeamsSurface } from '../adapters/teams/surface.js';
import { createAuditbot } from '../src/app.js';
import { loadDemoEvents } from '../src/cli/demo-loader.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { createHttpApp, listen } from '../src/server/http-server.js';
import { startFakeResponseUrls } from '../test/fakes/slack-response-url.js';
import { startFakeSlackWebApi } from '../test/fakes/slack-web-api.js';
import { startFakeConnector } from '../test/fakes/teams-connector.js';
import { fmt, percentile, thousands } from './stats.js';

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
let start = performance.now();
const stored = (await auditbot.store.stats(values.customer)).events;
if (stored < N) await loadDemoEvents(auditbot.store, values.customer, { now: Date.now(), count: N, seed: 11 });
const events = (await auditbot.store.stats(values.customer)).events;
out(
  `chat load benchmark — ${thousands(events)} events in the store (ready in ${fmt((performance.now() - start) / 1000, 1)} s), ${C} concurrent commands`,
);

const slackApi = await startFakeSlackWebApi();
const responses = await startFakeResponseUrls();
const connector = await startFakeConnector();
const slack = createSlackSurface({
  auditbot,
  env: { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slackApi.apiUrl },
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
const base = `http://127.0.0.1:${server.port}`;

async function waitFor(probe: () => boolean, ms = 60_000): Promise<number> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for an answer');
    await new Promise((r) => setTimeout(r, 2));
  }
  return performance.now();
}

async function slackCommand(i: number): Promise<{ ack: number; answer: number }> {
  const name = `bench-${i}`;
  const body = new URLSearchParams({
    team_id: 'T1',
    channel_id: 'C1',
    user_id: 'UADMIN',
    command: '/audit',
    text: QUERIES[i % QUERIES.length]!,
    response_url: responses.url(name),
    trigger_id: `t-${i}`,
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  const sent = performance.now();
  const res = await fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': signature,
    },
    body,
  });
  const ack = performance.now() - sent;
  if (res.status !== 200) throw new Error(`ack ${res.status}`);
  const answered = await waitFor(() => responses.to(name).length > 0);
  return { ack, answer: answered - sent };
}

async function teamsMessage(i: number): Promise<{ ack: number; answer: number }> {
  const conversation = `a:bench-${i}`;
  const activity = {
    type: 'message',
    id: `m-${i}`,
    channelId: 'msteams',
    serviceUrl: `${connector.url}/`,
    from: { id: '29:admin', aadObjectId: 'aad-admin' },
    recipient: { id: '28:bot' },
    conversation: { id: conversation, conversationType: 'personal', tenantId: 't1' },
    channelData: { tenant: { id: 't1' } },
    text: `audit ${QUERIES[i % QUERIES.length]}`,
  };
  const sent = performance.now();
  const res = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const ack = performance.now() - sent;
  if (res.status >= 300) throw new Error(`teams ${res.status}`);
  const answered = await waitFor(() => connector.activities().some((c) => c.conversationId === conversation));
  return { ack, answer: answered - sent };
}

async function round(label: string, run: (i: number) => Promise<{ ack: number; answer: number }>) {
  await Promise.all(Array.from({ length: 5 }, (_, i) => run(10_000 + i))); // warm-up
  start = performance.now();
  const results = await Promise.all(Array.from({ length: C }, (_, i) => run(i)));
  const wall = performance.now() - start;
  const acks = results.map((r) => r.ack);
  const answers = results.map((r) => r.answer);
  out(
    `${label.padEnd(8)} ack p50 ${fmt(percentile(acks, 50), 0)} ms  p99 ${fmt(percentile(acks, 99), 0)} ms   first answer p50 ${fmt(percentile(answers, 50), 0)} ms  p99 ${fmt(percentile(answers, 99), 0)} ms   (${C} in ${fmt(wall, 0)} ms)`,
  );
}

await round('Slack', slackCommand);
await round('Teams', teamsMessage);
await server.close();
await slack.stop();
await teams.stop();
await Promise.all([slackApi.close(), responses.close(), connector.close()]);
await auditbot.close();
rmSync(dir, { recursive: true, force: true });
