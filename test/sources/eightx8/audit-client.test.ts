import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { EightX8RequestError, EightX8UnavailableError } from '../../../src/sources/eightx8/api-errors.js';
import { createAuditRecordsClient } from '../../../src/sources/eightx8/audit-client.js';
import { type FakeEightX8Api, makeAuditItems, startFakeEightX8Api } from '../../fakes/eightx8-api.js';
import { NOW } from '../../helpers/auditbot.js';
import { DAY, type SyncHarness, startSyncHarness } from './sync-harness.js';

let harness: SyncHarness | undefined;
let fake: FakeEightX8Api | undefined;
afterEach(async () => {
  await harness?.dispose();
  await fake?.close();
  harness = undefined;
  fake = undefined;
});

const DAY_RANGE = { start: NOW - DAY, end: NOW };

/** A client on the fake with instant, recorded sleeps. */
function clientFor(api: FakeEightX8Api, options: { apiKey?: string; timeoutMs?: number } = {}) {
  const sleeps: number[] = [];
  const client = createAuditRecordsClient({
    baseUrl: `${api.url}/`,
    apiKey: options.apiKey ?? 'test-api-key',
    timeoutMs: options.timeoutMs,
    random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { client, sleeps };
}

describe('the fake 8x8 API follows the OpenAPI document', () => {
  it.each([
    [
      'a range over 31 days',
      { startTime: new Date(NOW - 32 * DAY).toISOString(), endTime: new Date(NOW).toISOString(), service: 'platform' },
      400,
      /within range of 31 days/,
    ],
    [
      'no service',
      { startTime: new Date(NOW - DAY).toISOString(), endTime: new Date(NOW).toISOString() },
      400,
      /service is required/,
    ],
    [
      'size 0',
      {
        startTime: new Date(NOW - DAY).toISOString(),
        endTime: new Date(NOW).toISOString(),
        service: 'platform',
        size: '0',
      },
      400,
      /size must be at least 1/,
    ],
    [
      'an unknown eventType',
      {
        startTime: new Date(NOW - DAY).toISOString(),
        endTime: new Date(NOW).toISOString(),
        service: 'platform',
        eventTypes: 'teleport',
      },
      400,
      /eventTypes/,
    ],
  ])('answers the documented 400 body for %s', async (_label, query, status, message) => {
    fake = await startFakeEightX8Api();
    const response = await request(`${fake.url}/audits?${new URLSearchParams(query)}`, {
      headers: { 'x-api-key': 'test-api-key' },
    });
    expect(response.statusCode).toBe(status);
    const body = (await response.body.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['error', 'message', 'path', 'status', 'timestamp']);
    expect(body).toMatchObject({ status: 400, error: 'Bad Request', path: '/v1/audits' });
    expect(String(body.message)).toMatch(message);
  });
});

describe('8x8 Audit Records API client', () => {
  it('sends every filter parameter and follows scrollId until it is null', async () => {
    fake = await startFakeEightX8Api();
    fake.add(makeAuditItems({ count: 250, start: DAY_RANGE.start, end: DAY_RANGE.end, customerId: 'c' }));
    const { client } = clientFor(fake);
    const pages = [];
    const filters = {
      service: 'platform',
      entityTypes: ['ringgroup'],
      eventTypes: ['create', 'update'],
      auditUserId: 'u-1',
      displayName: 'Ring*',
    };
    for await (const page of client.scrollRange(filters, DAY_RANGE)) pages.push(page);
    const first = fake.requests[0]?.query;
    expect(first).toMatchObject({
      entityTypes: 'ringgroup',
      eventTypes: 'create,update',
      auditUserId: 'u-1',
      displayName: 'Ring*',
      size: '100',
    });
    expect(first?.scrollId).toBeUndefined();
    expect(fake.requests.slice(1).every((r) => r.query.scrollId?.startsWith('scroll-'))).toBe(true);
    expect(pages.at(-1)?.windowDone).toBe(true);
    const ids = pages.flatMap((p) => p.items.map((i) => (i as { id: string }).id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses a single request over 31 days and splits ranges itself', async () => {
    fake = await startFakeEightX8Api();
    const { client } = clientFor(fake);
    await expect(client.fetchPage({ service: 'platform' }, { start: NOW - 40 * DAY, end: NOW }, null)).rejects.toThrow(
      RangeError,
    );
    const windows = [];
    for await (const page of client.scrollRange({ service: 'platform' }, { start: NOW - 70 * DAY, end: NOW }))
      windows.push(page.window);
    expect(windows.map((w) => (w.end - w.start) / DAY)).toEqual([31, 31, 8]);
  });

  it('honours Retry-After on 429 and x-ratelimit-reset when that is all it gets', async () => {
    fake = await startFakeEightX8Api();
    fake.inject(
      { kind: 'status', status: 429, headers: { 'retry-after': '7' } },
      { kind: 'status', status: 429, headers: { 'x-ratelimit-reset': '3' } },
    );
    const { client, sleeps } = clientFor(fake);
    const page = await client.fetchPage({ service: 'platform' }, DAY_RANGE, null);
    expect(page.items).toEqual([]);
    expect(sleeps).toEqual([7000, 3000]);
    expect(client.stats).toEqual({ requests: 3, retries: 2 });
  });

  it('retries 500s, dropped connections and slow answers with growing, jittered backoff', async () => {
    fake = await startFakeEightX8Api();
    fake.add(makeAuditItems({ count: 5, start: DAY_RANGE.start, end: DAY_RANGE.end, customerId: 'c' }));
    fake.inject(
      { kind: 'status', status: 500 },
      { kind: 'reset' },
      { kind: 'delay', ms: 1500 },
      { kind: 'status', status: 503 },
    );
    const { client, sleeps } = clientFor(fake, { timeoutMs: 300 });
    const page = await client.fetchPage({ service: 'platform' }, DAY_RANGE, null);
    expect(page.items).toHaveLength(5);
    // random() = 0.5 → three quarters of 500 · 2^(n-1).
    expect(sleeps).toEqual([375, 750, 1500, 3000]);
    expect(client.stats.retries).toBe(4);
  });

  it('gives up after the last attempt with an error that says so', async () => {
    fake = await startFakeEightX8Api();
    fake.inject(...Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 502 })));
    const { client } = clientFor(fake);
    const failure = client.fetchPage({ service: 'platform' }, DAY_RANGE, null);
    await expect(failure).rejects.toThrow(EightX8UnavailableError);
    await expect(failure).rejects.toThrow(/after 6 attempts \(last: HTTP 502\)/);
  });

  it('quotes the server on 400 and does not retry it', async () => {
    fake = await startFakeEightX8Api();
    const { client } = clientFor(fake);
    const failure = client.fetchPage({ service: 'platform', size: 101 }, DAY_RANGE, null);
    await expect(failure).rejects.toThrow('The 8x8 API rejected the platform audit records from');
    await expect(failure).rejects.toThrow(/"size must be at most 100"/);
    expect(fake.requests).toHaveLength(1);
  });

  it('says where to fix a rejected key on 401', async () => {
    fake = await startFakeEightX8Api();
    const { client } = clientFor(fake, { apiKey: 'wrong-key' });
    const error = await client.fetchPage({ service: 'platform' }, DAY_RANGE, null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EightX8RequestError);
    expect((error as EightX8RequestError).message).toBe(
      'API key rejected — create or check it in the Admin Console under API Keys',
    );
    expect((error as EightX8RequestError).httpStatus).toBe(401);
    expect(fake.requests).toHaveLength(1);
  });

  it('explains a 403 as a key without access', async () => {
    fake = await startFakeEightX8Api();
    fake.inject({ kind: 'status', status: 403, body: { status: 403, error: 'Forbidden', message: 'Access denied' } });
    const { client } = clientFor(fake);
    const failure = client.fetchPage({ service: 'vccss' }, DAY_RANGE, null);
    await expect(failure).rejects.toThrow(
      /not allowed to read the vccss audit records .*\("Access denied"\).*lacks access/,
    );
  });
});

describe('8x8 sync reports retries', () => {
  it('counts the retries of a sync pass in its summary', async () => {
    harness = await startSyncHarness();
    harness.fake.add(makeAuditItems({ count: 300, start: NOW - 10 * DAY, end: NOW, customerId: 'cust-1' }));
    harness.fake.inject(
      { kind: 'status', status: 429, headers: { 'retry-after': '2' } },
      { kind: 'status', status: 500 },
    );
    const summary = await harness.syncOnce();
    expect(summary).toMatchObject({ inserted: 300, retries: 2 });
    expect(harness.sleeps).toContain(2000);
  });
});
