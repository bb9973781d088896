import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import { eventFingerprint } from '../../src/domain/fingerprint.js';
import { writeReport } from '../../src/reports/csv-report.js';
import { importFile } from '../../src/sources/import-file.js';
import { openEventStore } from '../../src/store/open-store.js';
import { sampleEvent } from '../reports/sample-events.js';

/** Events that stress the report format: formula-like cells, quotes, commas, line breaks, non-ASCII, CC fields. */
const tricky: AuditEvent[] = [
  sampleEvent(1),
  sampleEvent(2, {
    displayName: '=HYPERLINK("http://evil","click")',
    entityKey: '+15551234567',
    auditUserId: '@admin',
  }),
  sampleEvent(3, { displayName: "'=already quoted", details: -5, correlationType: 'user', correlationId: 'u-3' }),
  sampleEvent(4, { displayName: 'Ventes, "Île-de-France"\nsecond line', impersonator: 'SUP-81', details: null }),
  sampleEvent(5, {
    service: 'vccss',
    region: 'uk-eu',
    entityType: 'Queue',
    details: { name: 'Support', agents: ['a-1'] },
  }),
  sampleEvent(6, { eventType: 'bulk', service: 'vccss', region: 'us', details: { operation: 'delete', count: 40 } }),
  sampleEvent(7, {
    eventType: 'view',
    displayName: '-1 day report',
    accessMethod: 'API',
    details: [1, 'two', { three: 3 }],
  }),
  sampleEvent(8, { eventType: 'export', displayName: 'Zoë Ångström 日本', details: { text: 'tab\there' } }),
  sampleEvent(9, { eventType: 'delete', entityKey: '', details: { new: {}, old: { members: ['u-1', 'u-2'] } } }),
];

/** What a round trip must keep: everything but the id (reports carry none) and the road it came by. */
function content({ id: _id, source: _source, ...rest }: AuditEvent) {
  return rest;
}

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'auditbot-roundtrip-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('report → import round trip', () => {
  it('imports a written report back into an empty store with every field equal', async () => {
    async function* events(): AsyncIterable<AuditEvent> {
      yield* tricky;
    }
    const parts = await writeReport(events(), { directory, baseName: 'audit', maxRowsPerFile: 4 });
    expect(parts).toHaveLength(3);
    const store = await openEventStore('sqlite::memory:');
    for (const part of parts) {
      const summary = await importFile(part.path, { store, customerId: '0012345QAB' });
      expect(summary.rejected).toEqual([]);
      expect(summary.accepted).toBe(part.rows);
    }
    const imported: AuditEvent[] = [];
    for await (const event of store.stream({ customerId: '0012345QAB', range: { start: 0, end: Date.now() * 2 } })) {
      imported.push(event);
    }
    const sortByKey = (list: AuditEvent[]) =>
      [...list].sort((a, b) => a.auditTimestamp.localeCompare(b.auditTimestamp));
    expect(sortByKey(imported).map(content)).toEqual(sortByKey(tricky).map(content));
    expect(new Set(imported.map(eventFingerprint))).toEqual(new Set(tricky.map(eventFingerprint)));
    expect(imported.every((event) => event.source === 'import')).toBe(true);
  });

  it('recognises the API events a report came from, so importing it adds nothing', async () => {
    const store = await openEventStore('sqlite::memory:');
    await store.append(tricky);
    async function* events(): AsyncIterable<AuditEvent> {
      yield* tricky;
    }
    const [part] = await writeReport(events(), { directory, baseName: 'audit' });
    const summary = await importFile(part?.path ?? '', { store, customerId: '0012345QAB' });
    expect(summary).toMatchObject({ accepted: 0, duplicate: tricky.length, rejected: [] });
  });
});
