import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import { REPORT_COLUMNS, reportRow, writeReport } from '../../src/reports/csv-report.js';
import { sampleEvent } from './sample-events.js';

async function* eventsOf(events: Iterable<AuditEvent>): AsyncIterable<AuditEvent> {
  yield* events;
}

function numbered(count: number): AuditEvent[] {
  return Array.from({ length: count }, (_, i) => sampleEvent(i));
}

async function readCsv(path: string): Promise<string[][]> {
  return parse(await readFile(path), { bom: true }) as string[][];
}

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'auditbot-report-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('reportRow', () => {
  it('gives the cells in column order with details as JSON text', () => {
    const row = reportRow(sampleEvent(1, { region: 'uk-eu', impersonator: 'SUP-81' }));
    expect(row).toHaveLength(REPORT_COLUMNS.length);
    expect(row[REPORT_COLUMNS.indexOf('details')]).toBe('{"new":{"ringTimeout":30},"old":{"ringTimeout":1}}');
    expect(row[REPORT_COLUMNS.indexOf('region')]).toBe('uk-eu');
    expect(row[REPORT_COLUMNS.indexOf('correlationId')]).toBe('');
  });

  it('writes details that were not JSON exactly as they came', () => {
    const row = reportRow(sampleEvent(1, { details: null, rawDetails: '{broken' }));
    expect(row[REPORT_COLUMNS.indexOf('details')]).toBe('{broken');
  });
});

describe('writeReport', () => {
  it('writes the Admin Console columns, in order, as the header', async () => {
    const [part] = await writeReport(eventsOf(numbered(2)), { directory, baseName: 'audit' });
    const rows = await readCsv(part?.path ?? '');
    expect(rows[0]).toEqual([
      'displayName',
      'customerId',
      'auditTimestamp',
      'eventType',
      'service',
      'entityKey',
      'entityType',
      'auditUserId',
      'impersonator',
      'details',
      'correlationType',
      'correlationId',
      'accessMethod',
      'region',
    ]);
    expect(rows[1]?.[0]).toBe('Ring group 0');
  });

  it.each(['=', '+', '-', '@', '\t', '\r'])(
    'neutralises cells starting with %j so no spreadsheet runs them',
    async (lead) => {
      const event = sampleEvent(1, { displayName: `${lead}HYPERLINK("http://evil")`, entityKey: `${lead}1` });
      const [part] = await writeReport(eventsOf([event]), { directory, baseName: 'audit' });
      const row = (await readCsv(part?.path ?? ''))[1];
      expect(row?.[REPORT_COLUMNS.indexOf('displayName')]).toBe(`'${lead}HYPERLINK("http://evil")`);
      expect(row?.[REPORT_COLUMNS.indexOf('entityKey')]).toBe(`'${lead}1`);
    },
  );

  it('names a single file after the report', async () => {
    const parts = await writeReport(eventsOf(numbered(3)), { directory, baseName: 'audit-2026-10-01' });
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ name: 'audit-2026-10-01.csv', rows: 3 });
    expect(parts[0]?.bytes).toBe((await stat(parts[0]?.path ?? '')).size);
  });

  it('splits into numbered parts of at most maxRowsPerFile rows, never truncating', async () => {
    const parts = await writeReport(eventsOf(numbered(25)), { directory, baseName: 'audit', maxRowsPerFile: 10 });
    expect(parts.map((p) => [p.name, p.rows])).toEqual([
      ['audit-part-1-of-3.csv', 10],
      ['audit-part-2-of-3.csv', 10],
      ['audit-part-3-of-3.csv', 5],
    ]);
    const keys: string[] = [];
    for (const part of parts) {
      const rows = await readCsv(part.path);
      expect(rows[0]).toEqual([...REPORT_COLUMNS]);
      expect(rows).toHaveLength(part.rows + 1);
      expect(part.bytes).toBe((await stat(part.path)).size);
      keys.push(...rows.slice(1).map((row) => row[REPORT_COLUMNS.indexOf('entityKey')] ?? ''));
    }
    expect(keys).toEqual(numbered(25).map((e) => e.entityKey));
    expect((await readdir(directory)).sort()).toEqual(parts.map((p) => p.name).sort());
  });

  it('does not open an empty part when the rows fill the last one exactly', async () => {
    const parts = await writeReport(eventsOf(numbered(20)), { directory, baseName: 'audit', maxRowsPerFile: 10 });
    expect(parts.map((p) => p.name)).toEqual(['audit-part-1-of-2.csv', 'audit-part-2-of-2.csv']);
  });

  it('writes one header-only file when there are no events', async () => {
    const parts = await writeReport(eventsOf([]), { directory, baseName: 'audit' });
    expect(parts).toMatchObject([{ name: 'audit.csv', rows: 0 }]);
    expect(await readCsv(parts[0]?.path ?? '')).toEqual([[...REPORT_COLUMNS]]);
  });

  it('removes its partial files when the events fail midway', async () => {
    async function* failing(): AsyncIterable<AuditEvent> {
      yield* numbered(15);
      throw new Error('store went away');
    }
    await expect(writeReport(failing(), { directory, baseName: 'audit', maxRowsPerFile: 10 })).rejects.toThrow(
      'store went away',
    );
    expect(await readdir(directory)).toEqual([]);
  });

  // Speed is the benchmark's business (npm run bench); this checks exactly 50,000 rows stay one file.
  it('keeps exactly 50,000 rows in one file', async () => {
    const parts = await writeReport(eventsOf(numbered(50_000)), { directory, baseName: 'quarter' });
    expect(parts).toMatchObject([{ name: 'quarter.csv', rows: 50_000 }]);
  });
});
