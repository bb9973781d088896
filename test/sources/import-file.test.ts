import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import { type ImportProgress, importFile, importStream, sniffFormat } from '../../src/sources/import-file.js';
import type { EventStore } from '../../src/store/event-store.js';
import { openEventStore } from '../../src/store/open-store.js';

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);
const customerId = '0012345QAB';
const everything = { customerId, range: { start: 0, end: Date.parse('2100-01-01T00:00:00Z') } };

let store: EventStore;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'auditbot-import-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});
beforeEach(async () => {
  store = await openEventStore('sqlite::memory:');
});

async function storedEvents(): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of store.stream(everything)) events.push(event);
  return events;
}

const byKey = (events: AuditEvent[], entityKey: string) => events.find((e) => e.entityKey === entityKey);

describe('importFile: an Admin Console report', () => {
  it('stores every row: BOM, cusytomerID header, CRLF, multi-line details, platform and CC rows', async () => {
    const progress: ImportProgress[] = [];
    const summary = await importFile(fixture('admin-console-report.csv'), {
      store,
      customerId,
      onProgress: (p) => progress.push(p),
    });
    expect(summary).toMatchObject({ format: 'csv', rows: 8, accepted: 8, duplicate: 0, rejected: [] });
    const events = await storedEvents();
    expect(events).toHaveLength(8);
    expect(byKey(events, 'rg-4711')).toMatchObject({
      displayName: 'Sales – EMEA',
      eventType: 'delete',
      auditTimestamp: '2026-09-30T22:14:05.120Z',
      details: { new: {}, old: { name: 'Sales – EMEA', members: ['u-17', 'u-23'], huntPolicy: 'ROUND_ROBIN' } },
      accessMethod: 'Admin Console',
      source: 'import',
    });
    expect(byKey(events, 'u-17')).toMatchObject({
      impersonator: 'SUP-81',
      correlationType: 'user',
      correlationId: 'u-17',
    });
    expect(byKey(events, 'q-200')).toMatchObject({ service: 'vccss', region: 'uk-eu', details: { priority: 3 } });
    expect(byKey(events, 'report-1')).toMatchObject({ eventType: 'read', customerId, details: null });
    expect(byKey(events, 'u-99')?.displayName).toBe('=HYPERLINK("http://example.com")');
    expect(byKey(events, 'rg-1')?.auditTimestamp).toBe('2026-09-28T09:00:00.000Z');
    const last = progress.at(-1);
    expect(last).toMatchObject({ rows: 8, accepted: 8, rejected: 0 });
    expect(last?.bytesRead).toBe(last?.totalBytes);
  });

  it('is idempotent: a second import stores nothing new', async () => {
    await importFile(fixture('admin-console-report.csv'), { store, customerId });
    const again = await importFile(fixture('admin-console-report.csv'), { store, customerId, batchSize: 3 });
    expect(again).toMatchObject({ rows: 8, accepted: 0, duplicate: 8, rejected: [] });
    expect(await store.count(everything)).toBe(8);
  });

  it('appends in batches and reports progress after each', async () => {
    const progress: ImportProgress[] = [];
    await importFile(fixture('admin-console-report.csv'), {
      store,
      customerId,
      batchSize: 3,
      onProgress: (p) => progress.push(p),
    });
    expect(progress.map((p) => p.accepted)).toEqual([3, 6, 8]);
  });
});

describe('importFile: hostile CSV', () => {
  it('stores every good row and names each bad line with its fix', async () => {
    const summary = await importFile(fixture('evil.csv'), { store, customerId });
    expect(summary).toMatchObject({ rows: 12, accepted: 4, duplicate: 1 });
    const reasons = Object.fromEntries(summary.rejected.map((r) => [r.line, r.reason]));
    expect(Object.keys(reasons).map(Number)).toEqual([3, 4, 5, 6, 8, 12, 14]);
    expect(reasons[3]).toMatch(/has 5 values but the header has 15 columns — quote values that contain commas/);
    expect(reasons[4]).toMatch(/^details "\{new: 1\}" is not valid JSON/);
    expect(reasons[5]).toMatch(/^eventType "modify" is not one of create, update/);
    expect(reasons[6]).toBe('timestamp 2026-10-01 12:04:00 has no time zone; add Z for UTC');
    expect(reasons[8]).toBe(
      'event is for customer 9999999ZZZ; this import is for 0012345QAB — import the file for that customer instead',
    );
    expect(reasons[12]).toBe('entityType is empty — every event needs one');
    expect(reasons[14]).toMatch(
      /quoted value opened on line 14 is never closed, so lines 14–16 were read as one value/,
    );
    const keys = (await storedEvents()).map((e) => e.entityKey).sort();
    expect(keys).toEqual(['+15551234567', 'q-1', 'rg-1', 'rg-7']);
  });

  it('rejects a row with bytes that are not UTF-8 and keeps the rows around it', async () => {
    const summary = await importFile(fixture('evil-utf8.csv'), { store, customerId });
    expect(summary).toMatchObject({ rows: 3, accepted: 2 });
    expect(summary.rejected).toHaveLength(1);
    expect(summary.rejected[0]).toMatchObject({ line: 3 });
    expect(summary.rejected[0]?.reason).toMatch(/contains bytes that are not valid UTF-8 — save the file as UTF-8$/);
  });

  it('rejects rows with stray quotes on their own lines', async () => {
    const summary = await importFile(fixture('evil-quotes.csv'), { store, customerId });
    expect(summary.accepted).toBe(2);
    expect(summary.rejected.map((r) => r.line)).toEqual([3, 4]);
    expect(summary.rejected[0]?.reason).toMatch(/quotes doubled/);
  });

  it('refuses a file that lacks a required column before storing anything', async () => {
    await expect(importFile(fixture('evil-missing-column.csv'), { store, customerId })).rejects.toThrow(
      /has no entityType, entityKey columns \(found "displayName", "Customer ID", "Audit Timestamp", "Event Type", "Details"\)/,
    );
    expect(await store.count(everything)).toBe(0);
  });

  it.each(['empty.csv', 'blank.csv'])('refuses %s as empty, saying where a report comes from', async (name) => {
    await expect(importFile(fixture(name), { store, customerId })).rejects.toThrow(
      `${name} is empty — export a report from the Admin Console`,
    );
  });

  it('says clearly when the file does not exist', async () => {
    await expect(importFile(join(scratch, 'missing.csv'), { store, customerId })).rejects.toThrow(
      /missing\.csv does not exist — check the path/,
    );
  });

  it('rejects a 10 MB details cell with its size and imports the rows after it', async () => {
    const header = 'auditTimestamp,eventType,entityType,entityKey,details\n';
    const huge = `"{""blob"":""${'x'.repeat(10 * 1024 * 1024)}""}"`;
    const path = join(scratch, 'huge-cell.csv');
    await writeFile(
      path,
      `${header}2026-10-01T12:00:00Z,update,user,u-1,\n2026-10-01T12:01:00Z,update,user,u-2,${huge}\n2026-10-01T12:02:00Z,update,user,u-3,\n`,
    );
    const summary = await importFile(path, { store, customerId });
    expect(summary).toMatchObject({ rows: 3, accepted: 2 });
    expect(summary.rejected).toEqual([
      { line: 3, reason: 'details is 10.0 MB; the limit is 1.0 MB — shorten it or leave it out' },
    ]);
  });

  it('stops at a record too large to be real (an unclosed quote) instead of holding the file in memory', async () => {
    const path = join(scratch, 'runaway.csv');
    const runaway = `"${'y'.repeat(17 * 1024 * 1024)}\n`;
    await writeFile(
      path,
      `auditTimestamp,eventType,entityType,entityKey\n2026-10-01T12:00:00Z,update,user,u-1\n2026-10-01T12:01:00Z,update,user,${runaway}`,
    );
    const summary = await importFile(path, { store, customerId });
    expect(summary.accepted).toBe(1);
    expect(summary.rejected).toHaveLength(1);
    expect(summary.rejected[0]?.line).toBe(3);
    expect(summary.rejected[0]?.reason).toMatch(/larger than 16 MB.*nothing after line 3 was imported/);
  });
});

describe('importFile: NDJSON and JSON', () => {
  it('imports NDJSON events: epoch ms, details as object or text, no customerId', async () => {
    const summary = await importFile(fixture('events.ndjson'), { store, customerId });
    expect(summary).toMatchObject({ format: 'ndjson', rows: 3, accepted: 3, rejected: [] });
    const events = await storedEvents();
    expect(byKey(events, 'q-7')).toMatchObject({
      id: 'evt-2',
      service: 'vccss',
      region: 'us',
      eventType: 'update',
      source: 'import',
    });
    expect(byKey(events, 'rg-3')?.auditTimestamp).toBe('2026-10-01T09:00:00.250Z');
  });

  it('rejects bad NDJSON lines by their line number and counts a repeated id as duplicate', async () => {
    const summary = await importFile(fixture('evil.ndjson'), { store, customerId });
    expect(summary).toMatchObject({ rows: 9, accepted: 2, duplicate: 1 });
    const reasons = Object.fromEntries(summary.rejected.map((r) => [r.line, r.reason]));
    expect(Object.keys(reasons).map(Number)).toEqual([2, 3, 4, 7, 8, 10]);
    expect(reasons[2]).toMatch(/^the line is not valid JSON \(.+\) — write one JSON object per line$/);
    expect(reasons[3]).toMatch(/is not a JSON object/);
    expect(reasons[4]).toMatch(/^eventType "rename"/);
    expect(reasons[7]).toMatch(/^details .* is not valid JSON/);
    expect(reasons[8]).toBe(
      'event is for customer 9999999ZZZ; this import is for 0012345QAB — import the file for that customer instead',
    );
    expect(reasons[10]).toBe('timestamp 2026-10-01T09:04:00 has no time zone; add Z for UTC');
  });

  it('rejects an NDJSON line too long to be an event without holding it', async () => {
    const path = join(scratch, 'long-line.ndjson');
    const ok = JSON.stringify({
      auditTimestamp: '2026-10-01T12:00:00Z',
      eventType: 'create',
      entityType: 'user',
      entityKey: 'u-1',
    });
    await writeFile(path, `${JSON.stringify({ details: 'z'.repeat(3 * 1024 * 1024) })}\n${ok}\n`);
    const summary = await importFile(path, { store, customerId });
    expect(summary.accepted).toBe(1);
    expect(summary.rejected).toEqual([
      {
        line: 1,
        reason: 'the line is 3.0 MB, more than any event can be (details are limited to 1 MB) — shorten its details',
      },
    ]);
  });

  it('imports an API response document and names a bad item by its number', async () => {
    const summary = await importFile(fixture('api-response.json'), { store, customerId });
    expect(summary).toMatchObject({ format: 'json', rows: 3, accepted: 2 });
    expect(summary.rejected).toHaveLength(1);
    expect(summary.rejected[0]?.line).toBe(3);
    expect(summary.rejected[0]?.reason).toMatch(/^item 3: eventType "teleport" is not one of/);
    const events = await storedEvents();
    expect(byKey(events, 'abc1234567AB')).toMatchObject({
      id: 'a1b2c3d4-0001',
      auditTimestamp: '2026-09-30T18:44:14.804Z',
      details: { new: { name: 'Remaxed ring group' }, old: { name: 'Ring group' } },
    });
  });

  it('refuses a JSON file that is not JSON as a whole', async () => {
    const path = join(scratch, 'broken.json');
    await writeFile(path, '[{"eventType": "update"}');
    await expect(importFile(path, { store, customerId })).rejects.toThrow(/broken\.json is not valid JSON/);
  });
});

describe('format detection', () => {
  it.each([
    ['displayName,auditTimestamp\n', 'csv'],
    ['\uFEFF  [{"eventType":"create"}]', 'json'],
    ['{"eventType":"create"}\n{"eventType":"update"}\n', 'ndjson'],
    ['{"meta":{},"data":[]}', 'json'],
    ['{\n  "data": []\n}', 'json'],
    [' \n\t', null],
  ])('sniffs %j as %s', (head, format) => {
    expect(sniffFormat(head)).toBe(format);
  });

  it('reads a file without an extension by its content', async () => {
    const path = join(scratch, 'report-without-extension');
    await copyFile(fixture('events.ndjson'), path);
    expect((await importFile(path, { store, customerId })).format).toBe('ndjson');
  });

  it('imports from a stream in the given format', async () => {
    const csv = 'auditTimestamp,eventType,entityType,entityKey\r\n2026-10-01T12:00:00Z,export,report,r-1\r\n';
    const summary = await importStream(Readable.from([Buffer.from(csv)]), { store, customerId, format: 'csv' });
    expect(summary).toMatchObject({ rows: 1, accepted: 1 });
  });
});

describe('line numbers', () => {
  it('keeps a CRLF inside a quoted cell as data, and the line numbers after it right', async () => {
    const csv = [
      'auditTimestamp,eventType,entityType,entityKey,displayName',
      '2026-10-01T12:00:00Z,update,user,u-1,"first\r\nsecond"',
      '2026-10-01T12:01:00Z,rename,user,u-2,bad',
      '2026-10-01T12:02:00Z,update,user,u-3,"a\tb\nc"',
      '2026-10-01T12:03:00Z,explode,user,u-4,bad',
    ].join('\r\n');
    const summary = await importStream(Readable.from([Buffer.from(csv)]), { store, customerId, format: 'csv' });
    expect(summary.accepted).toBe(2);
    expect(summary.rejected.map((r) => r.line)).toEqual([4, 7]);
    const stored = await store.search(
      { customerId, range: { start: 0, end: Date.UTC(2027, 0) }, entityKeys: { include: ['u-1', 'u-3'], exclude: [] } },
      { limit: 5 },
    );
    expect(stored.events.map((e) => e.displayName)).toEqual(['a\tb\nc', 'first\r\nsecond']);
  });

  it('reads a stray quote in an unquoted cell as csv-parse does, keeping later CRLF rows intact', async () => {
    const csv = [
      'auditTimestamp,eventType,entityType,entityKey,displayName',
      '2026-10-01T12:00:00Z,update,user,s-1,first',
      '2026-10-01T12:01:00Z,update,user,s-2,27" monitor',
      '2026-10-01T12:02:00Z,update,user,s-3,"quoted, last"',
      '2026-10-01T12:03:00Z,update,user,s-4,plain',
    ].join('\r\n');
    const summary = await importStream(Readable.from([Buffer.from(csv)]), { store, customerId, format: 'csv' });
    const stored = await store.search(
      {
        customerId,
        range: { start: 0, end: Date.UTC(2027, 0) },
        entityKeys: { include: ['s-1', 's-2', 's-3', 's-4'], exclude: [] },
      },
      { limit: 10 },
    );
    const names = Object.fromEntries(stored.events.map((e) => [e.entityKey, e.displayName]));
    expect(names['s-3']).toBe('quoted, last');
    expect(names['s-4']).toBe('plain');
    expect(summary.rejected.every((r) => r.line === 3)).toBe(true);
    expect(summary.accepted + summary.rejected.length).toBe(4);
  });

  it('counts physical lines in a CRLF file with multi-line cells and blank lines', async () => {
    const csv = [
      'auditTimestamp,eventType,entityType,entityKey,details',
      '2026-10-01T12:00:00Z,update,user,u-1,"{',
      '""a"": 1',
      '}"',
      '',
      '2026-10-01T12:01:00Z,rename,user,u-2,',
      '2026-10-01T12:02:00Z,update,user',
      '2026-10-01T12:03:00Z,update,user,u-4,"{""b"":',
      '2}"',
      '2026-10-01T12:04:00,update,user,u-5,',
    ].join('\r\n');
    const summary = await importStream(Readable.from([Buffer.from(csv)]), { store, customerId, format: 'csv' });
    expect(summary.accepted).toBe(2);
    expect(summary.rejected.map((r) => r.line)).toEqual([6, 7, 10]);
  });
});
