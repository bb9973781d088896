import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../adapters/slack/harness.js';
import { type FakeResponseUrls, startFakeResponseUrls } from '../fakes/slack-response-url.js';
import { type FakeSlackWebApi, startFakeSlackWebApi } from '../fakes/slack-web-api.js';
import { type FakeConnector, startFakeConnector } from '../fakes/teams-connector.js';

/**
 * `auditbot serve` as operators run it: a separate process configured only through the
 * environment, driven over HTTP the way Slack, Teams and an ingest client would.
 */
const BIN = resolve('bin/auditbot.js');
const SECRET = 'serve-test-signing-secret-0001';
const TOKEN = 'serve-test-ingest-token-0001';
const dir = mkdtempSync(join(tmpdir(), 'auditbot-serve-'));

let slack: FakeSlackWebApi;
let responses: FakeResponseUrls;
let connector: FakeConnector;
let child: ChildProcess;
let base: string;
let stderr = '';

beforeAll(async () => {
  slack = await startFakeSlackWebApi();
  responses = await startFakeResponseUrls();
  connector = await startFakeConnector();
  child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: `sqlite:${join(dir, 'serve.db')}`,
      AUDITBOT_CUSTOMER_ID: 'serve-tenant',
      AUDITBOT_ADMINS: 'slack:UADMIN,teams:aad-admin',
      AUDITBOT_INGEST_TOKEN: TOKEN,
      AUDITBOT_REPORT_DIR: join(dir, 'reports'),
      SLACK_BOT_TOKEN: 'xoxb-serve-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      AUDITBOT_TEAMS_ALLOW_UNAUTHENTICATED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d) => (stderr += d));
  const port = await until(() => /serving on http:\/\/localhost:(\d+)/.exec(stderr)?.[1], 30_000);
  base = `http://127.0.0.1:${port}`;
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all([slack.close(), responses.close(), connector.close()]);
});

function slackCommand(text: string, user = 'UADMIN') {
  const body = new URLSearchParams({
    team_id: 'T1',
    channel_id: 'C1',
    user_id: user,
    command: '/audit',
    text,
    response_url: responses.url(`cmd-${user}-${text}`),
    trigger_id: 'trigger-1',
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body,
  });
}

describe('auditbot serve', () => {
  it('answers health checks and verified Slack start-up', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok', store: 'sqlite' });
    expect(slack.callsTo('auth.test').length).toBeGreaterThan(0);
    expect(stderr).toMatch(/chat: slack \(http\), teams/);
  });

  it('ingests an event and finds it from Slack and Teams', async () => {
    const event = {
      id: 'serve-del-1',
      auditTimestamp: new Date(Date.now() - 60_000).toISOString(),
      eventType: 'delete',
      service: 'platform',
      entityType: 'ringgroup',
      entityKey: 'rg-9',
      displayName: 'Sales <!channel> EMEA',
      auditUserId: 'u-1',
      details: { old: { name: 'Sales', members: ['a', 'b'] } },
    };
    const ingest = await fetch(`${base}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify([event]),
    });
    expect(await ingest.json()).toMatchObject({ accepted: 1 });

    const ack = await slackCommand('op:delete when:24h');
    expect(ack.status).toBe(200);
    const answer = await until(
      () => responses.responses.find((r) => r.name === 'cmd-UADMIN-op:delete when:24h'),
      10_000,
    );
    const text = JSON.stringify(answer.body);
    expect(text).toContain('Sales &lt;!channel&gt; EMEA');
    expect(text).not.toContain('<!channel>');

    const activity = {
      type: 'message',
      id: 'm-1',
      channelId: 'msteams',
      serviceUrl: `${connector.url}/`,
      from: { id: '29:admin', aadObjectId: 'aad-admin', name: 'Ada' },
      recipient: { id: '28:auditbot', name: 'auditbot' },
      conversation: { id: 'a:personal-1', conversationType: 'personal', tenantId: 'tenant-1' },
      channelData: { tenant: { id: 'tenant-1' } },
      text: 'audit op:delete when:24h',
    };
    const posted = await fetch(`${base}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(posted.status).toBeLessThan(300);
    const reply = await until(
      () => connector.activities().find((c) => JSON.stringify(c.activity).includes('EMEA')),
      10_000,
    );
    expect(reply.conversationId).toBe('a:personal-1');
  });

  it('refuses a non-admin and a forged signature', async () => {
    await slackCommand('op:delete', 'USTRANGER');
    const refusal = await until(() => responses.responses.find((r) => r.name === 'cmd-USTRANGER-op:delete'), 10_000);
    expect(JSON.stringify(refusal.body)).toMatch(/only available to this tenant/);
    expect(JSON.stringify(refusal.body)).not.toContain('EMEA');
    const forged = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-slack-signature': 'v0=bad',
      },
      body: 'command=/audit&text=op:delete',
    });
    expect(forged.status).toBe(401);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
