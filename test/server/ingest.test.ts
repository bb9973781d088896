import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, listen, type RunningServer } from '../../src/server/http-server.js';
import { platformEvent, startTestAuditbot, type TestAuditbot } from '../helpers/auditbot.js';

const TOKEN = 'test-ingest-token-0123456789';
let bot: TestAuditbot;
let server: RunningServer;
let url: string;

beforeAll(async () => {
  bot = await startTestAuditbot({ AUDITBOT_INGEST_TOKEN: TOKEN });
  server = await listen(
    createHttpApp({ config: bot.config, store: bot.store, logger: bot.logger, metrics: bot.metrics }),
    0,
    '127.0.0.1',
  );
  url = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
  await bot.dispose();
});

interface IngestReply {
  accepted: number;
  duplicate: number;
  rejected: number;
  results: { index: number; line?: number; status: string; id?: string; error?: string }[];
  error?: string;
  message?: string;
  hint?: string;
}
const read = async (res: Response): Promise<IngestReply> => (await res.json()) as IngestReply;

function post(body: string | Buffer, headers: Record<string, string> = {}) {
  return fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body,
  });
}

function wire(overrides: Record<string, unknown> = {}) {
  const { source: _source, rawDetails: _raw, ...event } = platformEvent();
  return { ...event, customerId: undefined, ...overrides };
}

describe('POST /v1/events', () => {
  it('stores a JSON array and reports each event', async () => {
    const events = [wire({ id: 'ing-1' }), wire({ id: 'ing-2' })];
    const res = await post(JSON.stringify(events));
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body).toMatchObject({ accepted: 2, duplicate: 0, rejected: 0 });
    expect(body.results.map((r) => r.id)).toEqual(['ing-1', 'ing-2']);
    const stored = await bot.store.get('cust-1', 'ing-1');
    expect(stored?.source).toBe('ingest');
    expect(stored?.customerId).toBe('cust-1');
  });

  it('is idempotent: the same events again are duplicates', async () => {
    const res = await post(JSON.stringify([wire({ id: 'ing-1' })]));
    expect(await read(res)).toMatchObject({ accepted: 0, duplicate: 1, rejected: 0 });
  });

  it('accepts NDJSON and rejects bad lines without blocking good ones', async () => {
    const lines = [
      JSON.stringify(wire({ id: 'nd-1' })),
      '{not json',
      '',
      JSON.stringify(wire({ id: 'nd-2', eventType: 'frobnicate' })),
      JSON.stringify(wire({ id: 'nd-3', auditTimestamp: '2026-11-25 10:00:00' })),
      JSON.stringify(wire({ id: 'nd-4' })),
    ].join('\n');
    const res = await post(lines, { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(200);
    const body = await read(res);
    expect(body).toMatchObject({ accepted: 2, rejected: 3 });
    const rejected = body.results.filter((r) => r.status === 'rejected');
    expect(rejected.map((r) => r.line)).toEqual([2, 4, 5]);
    expect(rejected[1]?.error).toMatch(/frobnicate/);
    expect(rejected[2]?.error).toMatch(/time zone/);
    expect(await bot.store.get('cust-1', 'nd-2')).toBeNull();
    expect(await bot.store.get('cust-1', 'nd-4')).not.toBeNull();
  });

  it('refuses events of another customer on this tenant’s token', async () => {
    const res = await post(JSON.stringify([wire({ id: 'other-1', customerId: 'cust-2' })]));
    const body = await read(res);
    expect(body.rejected).toBe(1);
    expect(body.results[0]?.error).toMatch(/cust-2/);
    expect(await bot.store.get('cust-2', 'other-1')).toBeNull();
  });

  it.each([
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer wrong-token-wrong-token' }],
    ['a malformed header', { authorization: TOKEN }],
  ])('answers 401 with a JSON body for %s', async (_name, headers) => {
    const res = await fetch(`${url}/v1/events`, { method: 'POST', headers, body: '[]' });
    expect(res.status).toBe(401);
    expect(await read(res)).toMatchObject({ error: 'unauthorized' });
  });

  it.each([
    ['an empty body', ''],
    ['invalid JSON', '[{"id": '],
  ])('answers 400 for %s', async (_name, body) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const json = await read(res);
    expect(json.error).toBe('ingest_invalid');
    expect(json.message).toBeTruthy();
  });

  it('answers 400 for a body that is not UTF-8', async () => {
    const res = await post(Buffer.from([0x5b, 0xff, 0xfe, 0x5d]));
    expect(res.status).toBe(400);
    expect((await read(res)).error).toBe('invalid_encoding');
  });

  it.each([
    ['a form post', 'application/x-www-form-urlencoded'],
    ['a CSV upload', 'text/csv'],
    ['plain text', 'text/plain; charset=utf-8'],
    ['no Content-Type', ''],
  ])('answers 415 for %s, naming the types it takes, and stores nothing', async (_, type) => {
    const body = JSON.stringify([wire({ id: `typed-${type || 'none'}` })]);
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, ...(type ? { 'content-type': type } : {}) },
      body: new Blob([body]),
    });
    expect(res.status).toBe(415);
    const reply = await read(res);
    expect(reply.error).toBe('unsupported_media_type');
    expect(reply.hint).toContain('application/x-ndjson');
    expect(await bot.store.get('cust-1', `typed-${type || 'none'}`)).toBeNull();
  });

  it('takes JSON types with parameters and +json suffixes', async () => {
    for (const [i, type] of [
      'application/json; charset=utf-8',
      'application/vnd.auditbot+json',
      'application/ndjson',
    ].entries()) {
      const res = await post(JSON.stringify({ ...wire({ id: `typed-ok-${i}` }) }), { 'content-type': type });
      expect(res.status, type).toBe(200);
    }
  });

  it('answers 413 over 5 MB and stores nothing of it', async () => {
    const big = JSON.stringify([wire({ id: 'huge-1', details: { blob: 'x'.repeat(6 * 1024 * 1024) } })]);
    const res = await post(big);
    expect(res.status).toBe(413);
    expect((await read(res)).error).toBe('too_large');
    expect(await bot.store.get('cust-1', 'huge-1')).toBeNull();
  });

  it('serves health and Prometheus metrics', async () => {
    const health = await fetch(`${url}/healthz`);
    expect((await health.json()) as unknown).toEqual({ status: 'ok', store: 'sqlite' });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/auditbot_events_received_total\{source="ingest",outcome="inserted"\} \d+/);
  });
});

describe('ingest disabled', () => {
  it('answers 401 explaining how to enable it', async () => {
    const other = await startTestAuditbot();
    const s = await listen(
      createHttpApp({ config: other.config, store: other.store, logger: other.logger, metrics: other.metrics }),
      0,
      '127.0.0.1',
    );
    try {
      const res = await fetch(`http://127.0.0.1:${s.port}/v1/events`, { method: 'POST', body: '[]' });
      expect(res.status).toBe(401);
      expect((await read(res)).hint).toMatch(/AUDITBOT_INGEST_TOKEN/);
    } finally {
      await s.close();
      await other.dispose();
    }
  });
});
