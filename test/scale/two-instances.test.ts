import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { buttons, clickPayload, SIGNING_SECRET, signedSlackPost, until } from '../adapters/slack/harness.js';
import { startFakeResponseUrls } from '../fakes/slack-response-url.js';
import { type FakeSlackWebApi, type RecordedCall, startFakeSlackWebApi } from '../fakes/slack-web-api.js';
import { dropSchemas, postgresAvailable, TEST_DATABASE_URL, uniqueSchema } from '../helpers/postgres.js';
import { type ServeProcess, spawnServe } from '../helpers/serve-process.js';

/**
 * Two real `auditbot serve` processes on one PostgreSQL schema, as behind a load balancer: each
 * alert is posted once whichever instance stored its event, and when one instance is killed in the
 * middle of a burst the other finishes the work.
 */
const TOKEN = 'scale-out-ingest-token-0001';
const available = await postgresAvailable('test/scale/two-instances.test.ts');
const schemas: string[] = [];
const children: ChildProcess[] = [];
let slack: FakeSlackWebApi | undefined;
function web(): FakeSlackWebApi {
  if (!slack) throw new Error('no fake Slack Web API started');
  return slack;
}

type Instance = ServeProcess;

/** Polls an async probe until it gives a value. */
async function eventually<T>(probe: () => Promise<T | false>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the instances');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `leaseSeconds`: short where a test kills an instance and waits for its claims to lapse. */
function serve(schema: string, name = 'a', leaseSeconds = 30): Promise<Instance> {
  return spawnServe(
    {
      DATABASE_URL: `${TEST_DATABASE_URL}?schema=${schema}`,
      AUDITBOT_CUSTOMER_ID: 'scale-tenant',
      AUDITBOT_INGEST_TOKEN: TOKEN,
      AUDITBOT_ALERT_SLACK_CHANNEL: 'CSEC',
      AUDITBOT_ALERT_LEASE_SECONDS: String(leaseSeconds),
      SLACK_BOT_TOKEN: `xoxb-scale-test-${name}`,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      AUDITBOT_PAGE_SIZE: '5',
      AUDITBOT_ADMINS: 'slack:UADMIN',
      SLACK_API_URL: web().apiUrl,
    },
    children,
  );
}

function deletes(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i}`,
    auditTimestamp: new Date(Date.now() - 60_000 + i).toISOString(),
    eventType: 'delete',
    service: 'platform',
    entityType: 'ringgroup',
    entityKey: `${prefix}-key-${String(i).padStart(3, '0')}`,
    displayName: `Ring Group ${prefix} ${String(i).padStart(3, '0')}`,
    auditUserId: 'u-1',
    details: { old: { name: `Ring Group ${prefix} ${i}` } },
  }));
}

async function ingest(instance: Instance, events: unknown[]): Promise<void> {
  const response = await fetch(`${instance.base}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(await response.json()).toMatchObject({ accepted: events.length });
}

const channelPosts = () =>
  web()
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === 'CSEC');
const isDigest = (post: RecordedCall) => /\d+ alerts/.test(JSON.stringify(post.args.blocks));

/** How many times each event's entity key went out: in a single-alert post or in a digest's CSV. */
function deliveries(keys: readonly string[]): Map<string, number> {
  const singles = channelPosts()
    .filter((post) => !isDigest(post))
    .map((post) => JSON.stringify(post.args));
  const csv = web().uploads.map((u) => u.bytes.toString('utf8'));
  return new Map(
    keys.map((key) => {
      const inSingles = singles.filter((text) => text.includes(key)).length;
      const inCsv = csv.reduce((n, text) => n + text.split('\n').filter((line) => line.includes(`,${key},`)).length, 0);
      return [key, inSingles + inCsv];
    }),
  );
}

async function outboxStatus(schema: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const result = await client.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM ${pg.escapeIdentifier(schema)}.alert_outbox GROUP BY status`,
    );
    return Object.fromEntries(result.rows.map((row) => [row.status, row.n]));
  } finally {
    await client.end();
  }
}

async function stopAll(): Promise<void> {
  await Promise.all(
    children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map((child) => new Promise((done) => child.once('exit', done).kill('SIGTERM'))),
  );
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await slack?.close();
  if (available && schemas.length > 0) await dropSchemas(schemas);
});

describe.skipIf(!available)('two auditbot serve processes on one PostgreSQL database', () => {
  it('posts every alert of a burst exactly once, whichever instance stored the event', async () => {
    const schema = uniqueSchema('scale_once');
    schemas.push(schema);
    await slack?.close();
    slack = await startFakeSlackWebApi();
    const [a, b] = await Promise.all([serve(schema, 'a'), serve(schema, 'b')]);
    if (!a || !b) throw new Error('two instances');
    const burst = deletes('once', 40);
    await Promise.all([ingest(a, burst.slice(0, 20)), ingest(b, burst.slice(20))]);
    const keys = burst.map((e) => e.entityKey);
    await eventually(async () => (await outboxStatus(schema)).sent === keys.length || false, 40_000).catch((error) => {
      console.log(a.log().slice(-3000), b.log().slice(-3000));
      throw error;
    });
    await new Promise((r) => setTimeout(r, 2500));
    const counts = deliveries(keys);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(await outboxStatus(schema)).toEqual({ sent: keys.length });
    await stopAll();
  }, 120_000);

  it('finishes the burst on the surviving instance when the one delivering it is killed', async () => {
    const schema = uniqueSchema('scale_kill');
    schemas.push(schema);
    await slack?.close();
    slack = await startFakeSlackWebApi();
    const [a, b] = await Promise.all([serve(schema, 'a', 2), serve(schema, 'b', 2)]);
    if (!a || !b) throw new Error('two instances');
    // The first post never gets an answer: whichever instance sends it is stuck holding its claim.
    web().failNext('chat.postMessage', { kind: 'hang' });
    const burst = deletes('kill', 30);
    await ingest(a, burst.slice(0, 1));
    await until(() => channelPosts().length >= 1, 15_000).catch((error) => {
      console.log(a.log().slice(-3000), b.log().slice(-3000));
      throw error;
    });
    await ingest(b, burst.slice(1));
    // Each instance posts with its own bot token: the hung post says which one is stuck.
    const hung = channelPosts()[0];
    const stuck = hung?.token === 'xoxb-scale-test-a' ? a : hung?.token === 'xoxb-scale-test-b' ? b : undefined;
    const survivor = [a, b].find((instance) => instance !== stuck);
    if (!stuck || !survivor) throw new Error(`the hung post's token ${hung?.token} is neither instance's`);
    const died = new Promise((done) => stuck.child.once('exit', done));
    stuck.child.kill('SIGKILL');
    await died;

    const keys = burst.map((e) => e.entityKey);
    await eventually(async () => (await outboxStatus(schema)).sent === keys.length || false, 60_000).catch((error) => {
      console.log(survivor.log().slice(-3000));
      throw error;
    });
    await new Promise((r) => setTimeout(r, 2500));
    const counts = deliveries(keys);
    // The hung post reached Slack once before its instance died and once more from the survivor.
    const [first] = keys;
    expect(counts.get(first ?? '')).toBe(2);
    expect([...counts.entries()].filter(([key, n]) => key !== first && n !== 1)).toEqual([]);
    expect(await outboxStatus(schema)).toEqual({ sent: keys.length });
    await stopAll();
  }, 150_000);

  it('answers a Slack command on one instance and its Next page click on the other', async () => {
    const schema = uniqueSchema('scale_slack');
    schemas.push(schema);
    await slack?.close();
    slack = await startFakeSlackWebApi();
    const responses = await startFakeResponseUrls();
    try {
      const [a, b] = await Promise.all([serve(schema, 'a'), serve(schema, 'b')]);
      if (!a || !b) throw new Error('two instances');
      await ingest(a, deletes('page', 12));
      const command = new URLSearchParams({
        team_id: 'T1',
        channel_id: 'C1',
        user_id: 'UADMIN',
        user_name: 'admin',
        command: '/audit',
        text: 'op:delete when:24h',
        response_url: responses.url('command'),
        trigger_id: 'trigger-scale-1',
      });
      const ack = await signedSlackPost(
        `${a.base}/slack/events`,
        command.toString(),
        'application/x-www-form-urlencoded',
      );
      expect(ack.status).toBe(200);
      const first = await until(() => responses.to('command')[0], 15_000);
      const next = buttons(first).find((button) => button.action_id.endsWith(':next'));
      expect(next?.value).toBeTruthy();
      if (!next) throw new Error('no Next button on the first page');

      const click = clickPayload(next, { responseName: 'next', responses });
      const clicked = await signedSlackPost(
        `${b.base}/slack/events`,
        new URLSearchParams({ payload: JSON.stringify(click) }).toString(),
        'application/x-www-form-urlencoded',
      );
      expect(clicked.status).toBe(200);
      const second = await until(() => responses.to('next')[0], 15_000);
      const keysOf = (message: Record<string, unknown>) =>
        [...JSON.stringify(message).matchAll(/Ring Group page (\d{3})/g)].map((m) => m[1]);
      const page1 = keysOf(first);
      const page2 = keysOf(second);
      expect(new Set(page1).size).toBe(5);
      expect(new Set(page2).size).toBe(5);
      expect(page2.filter((key) => page1.includes(key))).toEqual([]);
    } finally {
      await responses.close();
      await stopAll();
    }
  }, 120_000);
});
