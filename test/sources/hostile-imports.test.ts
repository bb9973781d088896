import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import { MAX_DETAILS_BYTES } from '../../src/domain/audit-event.js';
import { type ImportFormat, importStream } from '../../src/sources/import-file.js';
import type { EventStore } from '../../src/store/event-store.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';
import { manyEvents } from '../store/fixtures.js';

/*
 * The hostile corpus (test/fixtures/hostile/imports.json): every item imported into a store that
 * already holds events, on SQLite and on PostgreSQL. Each item's outcome is the one it lists, and
 * nothing stored before it changes.
 */
interface Expected {
  accepted?: number;
  duplicate?: number;
  rejected?: { line: number; reason: string }[];
  error?: string;
}
interface HostileItem {
  name: string;
  format: ImportFormat;
  lines?: string[];
  generate?: 'big-details' | 'deep-details' | 'long-line';
  expect: Expected;
}

const corpus = JSON.parse(readFileSync(new URL('../fixtures/hostile/imports.json', import.meta.url), 'utf8')) as {
  tenant: string;
  items: HostileItem[];
};
const TENANT = corpus.tenant;

function ndjsonEvent(id: string, details: string): string {
  return `{"id":"${id}","auditTimestamp":"2026-11-04T10:00:00Z","eventType":"update","service":"platform","entityType":"user","entityKey":"${id}","details":${details}}`;
}

/** Items too big to keep in the corpus file, built the same way each time. */
function generated(kind: NonNullable<HostileItem['generate']>): string {
  switch (kind) {
    case 'big-details': {
      const big = JSON.stringify({ blob: 'x'.repeat(MAX_DETAILS_BYTES - 11 + 1) });
      return [
        'auditTimestamp,eventType,entityType,entityKey,details',
        `2026-11-04T11:00:00Z,update,user,big-1,"${big.replaceAll('"', '""')}"`,
        '2026-11-04T11:01:00Z,update,user,big-2,"{""small"":true}"',
      ].join('\n');
    }
    case 'deep-details':
      return ndjsonEvent('deep-1', `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`);
    case 'long-line':
      return [
        ndjsonEvent('long-1', JSON.stringify({ blob: 'y'.repeat(3 * 1024 * 1024) })),
        ndjsonEvent('long-2', '{}'),
      ].join('\n');
  }
}

function itemText(item: HostileItem): string {
  return item.generate ? generated(item.generate) : (item.lines ?? []).join('\n');
}

async function everything(store: EventStore): Promise<Map<string, AuditEvent>> {
  const events = new Map<string, AuditEvent>();
  for await (const event of store.stream({ customerId: TENANT, range: { start: -1e15, end: 1e15 } })) {
    events.set(event.id, event);
  }
  return events;
}

function describeCorpus(name: string, open: () => Promise<EventStore>, close: () => Promise<void>): void {
  describe(`hostile imports on ${name}`, () => {
    let store: EventStore;
    let before: Map<string, AuditEvent>;

    beforeAll(async () => {
      store = await open();
      await store.append(manyEvents(40, 7, TENANT));
      before = await everything(store);
    });
    afterAll(async () => {
      await store.close();
      await close();
    });

    it.each(corpus.items)('$name', async (item) => {
      const start = await everything(store);
      let accepted = 0;
      const input = Readable.from([Buffer.from(itemText(item))]);
      const importing = importStream(input, { store, customerId: TENANT, format: item.format, name: 'hostile' });
      if (item.expect.error) {
        await expect(importing).rejects.toThrow(item.expect.error);
      } else {
        const summary = await importing;
        if (process.env.HOSTILE_SHOW) process.stdout.write(`${item.name}: ${JSON.stringify(summary)}\n`);
        expect({ accepted: summary.accepted, duplicate: summary.duplicate }).toEqual({
          accepted: item.expect.accepted ?? 0,
          duplicate: item.expect.duplicate ?? 0,
        });
        const rejected = item.expect.rejected ?? [];
        expect(summary.rejected.map((r) => r.line)).toEqual(rejected.map((r) => r.line));
        summary.rejected.forEach((r, i) => {
          expect(r.reason).toContain(rejected[i]?.reason ?? '');
          expect(r.reason.length).toBeLessThan(400);
        });
        accepted = summary.accepted;
      }
      // Nothing already stored changed, and only the accepted rows were added.
      const after = await everything(store);
      expect(after.size).toBe(start.size + accepted);
      for (const [id, event] of start) expect(after.get(id), id).toEqual(event);
      for (const [id, event] of before) expect(after.get(id), id).toEqual(event);
    });
  });
}

let directory: string;
describeCorpus(
  'SQLite',
  async () => {
    directory = await mkdtemp(join(tmpdir(), 'auditbot-hostile-'));
    return openSqliteStore(join(directory, 'hostile.db'));
  },
  () => rm(directory, { recursive: true, force: true }),
);

const available = await postgresAvailable('test/sources/hostile-imports.test.ts');
if (available) {
  const schemas = testSchemas('hostile');
  describeCorpus(
    'PostgreSQL',
    () => openPostgresStore({ connectionString: TEST_DATABASE_URL, schema: schemas.fresh(), poolMax: 2 }),
    () => schemas.dropAll(),
  );
}
