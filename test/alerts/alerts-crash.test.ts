import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../adapters/slack/harness.js';
import { type FakeSlackWebApi, startFakeSlackWebApi } from '../fakes/slack-web-api.js';
import { type ServeProcess, spawnServe } from '../helpers/serve-process.js';

/**
 * kill -9 between enqueue and send: a real `auditbot serve` process dies while its alert post is
 * in flight (the fake Slack never answers it); a new process on the same database sends it once.
 */
const TOKEN = 'crash-test-ingest-token-0001';
const dir = mkdtempSync(join(tmpdir(), 'auditbot-crash-'));
let slack: FakeSlackWebApi;
const children: ChildProcess[] = [];

function serve(): Promise<ServeProcess> {
  return spawnServe(
    {
      DATABASE_URL: `sqlite:${join(dir, 'crash.db')}`,
      AUDITBOT_CUSTOMER_ID: 'crash-tenant',
      AUDITBOT_INGEST_TOKEN: TOKEN,
      AUDITBOT_ALERT_SLACK_CHANNEL: 'CSEC',
      SLACK_BOT_TOKEN: 'xoxb-crash-test',
      SLACK_SIGNING_SECRET: 'crash-test-signing-secret-01',
      SLACK_API_URL: slack.apiUrl,
    },
    children,
  );
}

const alertPosts = () => slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'CSEC');

beforeAll(async () => {
  slack = await startFakeSlackWebApi();
}, 30_000);
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await slack.close();
});

describe('alerts survive kill -9', () => {
  it('sends an alert whose post was cut off by kill -9 exactly once after restart', async () => {
    const first = await serve();
    slack.failNext('chat.postMessage', { kind: 'hang' });
    const event = {
      id: 'crash-del-1',
      auditTimestamp: new Date(Date.now() - 60_000).toISOString(),
      eventType: 'delete',
      service: 'platform',
      entityType: 'ringgroup',
      entityKey: 'rg-crash',
      displayName: 'Crash Test Ring Group',
      auditUserId: 'u-1',
      details: { old: { name: 'Crash Test Ring Group' } },
    };
    const ingest = await fetch(`${first.base}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify([event]),
    });
    expect(await ingest.json()).toMatchObject({ accepted: 1 });
    await until(() => alertPosts().length === 1, 15_000).catch((e) => {
      console.log(first.log().slice(-4000), JSON.stringify(slack.calls.map((c) => c.method)));
      throw e;
    });

    const died = new Promise((done) => first.child.once('exit', done));
    first.child.kill('SIGKILL');
    await died;

    await serve();
    await until(() => alertPosts().length === 2, 20_000);
    await new Promise((r) => setTimeout(r, 2500));
    const posts = alertPosts();
    expect(posts).toHaveLength(2);
    for (const post of posts) expect(JSON.stringify(post.args)).toContain('Crash Test Ring Group');
  }, 90_000);
});
