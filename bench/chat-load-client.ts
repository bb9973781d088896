/**
 * The load side of bench/chat-load.ts, in a worker thread: its own event loop, as Slack's and
 * Microsoft's servers would be, so the server's work never delays the clock that times it. Runs the
 * fakes (Slack Web API, response_url, Bot Connector) and fires the concurrent commands.
 */
import { createHmac } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { startFakeResponseUrls } from '../test/fakes/slack-response-url.js';
import { startFakeSlackWebApi } from '../test/fakes/slack-web-api.js';
import { startFakeConnector } from '../test/fakes/teams-connector.js';
import { fmt, percentile } from './stats.js';

const {
  concurrency: C,
  secret: SECRET,
  queries: QUERIES,
} = workerData as { concurrency: number; secret: string; queries: string[] };
const port = parentPort;
if (!port) throw new Error('run as a worker of bench/chat-load.ts');
const out = (line: string) => port.postMessage({ line });
let start = 0;

const slackApi = await startFakeSlackWebApi();
const responses = await startFakeResponseUrls();
const connector = await startFakeConnector();
port.postMessage({ fakes: { slackApiUrl: slackApi.apiUrl } });
const base = await new Promise<string>((resolve) => port.once('message', (m: { base: string }) => resolve(m.base)));

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
await Promise.all([slackApi.close(), responses.close(), connector.close()]);
port.postMessage({ done: true });
