import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { type ImportProgress, importStream } from '../../src/sources/import-file.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';

const customerId = '0012345QAB';
const schemas = testSchemas('import');
/** A schema of this run that no test used before. */
const freshSchema = () => schemas.fresh();

const available = await postgresAvailable('test/sources/import-postgres.test.ts');

afterAll(async () => {
  if (available) await schemas.dropAll();
});

/** NDJSON lines of `count` distinct events, one second apart. */
function eventLines(count: number, displayName = (i: number) => `Queue ${i}`): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(
      JSON.stringify({
        id: `evt-${i}`,
        auditTimestamp: new Date(Date.UTC(2026, 9, 1) + i * 1000).toISOString(),
        eventType: 'update',
        service: 'vccss',
        entityType: 'queue',
        entityKey: `q-${i % 50}`,
        displayName: displayName(i),
        details: { new: { priority: i } },
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

describe.skipIf(!available)('import into PostgreSQL', () => {
  it('keeps two batches under way, counts every event once, and stores them in storage order', async () => {
    const store = await openPostgresStore({ connectionString: TEST_DATABASE_URL, schema: freshSchema() });
    expect(store.parallelAppends).toBe(2);
    const progress: ImportProgress[] = [];
    const input = eventLines(2000);
    const summary = await importStream(Readable.from([Buffer.from(input)]), {
      store,
      customerId,
      format: 'ndjson',
      batchSize: 100,
      onProgress: (p) => progress.push(p),
    });
    expect(summary).toMatchObject({ rows: 2000, accepted: 2000, duplicate: 0, rejected: [] });
    const accepted = progress.map((p) => p.accepted);
    expect(accepted).toEqual([...accepted].sort((a, b) => a - b));
    expect(accepted.at(-1)).toBe(2000);
    const stored = await store.eventsAfter(0, 5000);
    expect(new Set(stored.map((s) => s.event.id)).size).toBe(2000);

    const again = await importStream(Readable.from([Buffer.from(input)]), {
      store,
      customerId,
      format: 'ndjson',
      batchSize: 100,
    });
    expect(again).toMatchObject({ accepted: 0, duplicate: 2000 });
    expect(await store.latestSeq()).toBe(stored.at(-1)?.seq);
    await store.close();
  });

  it('refuses a row PostgreSQL text could not hold (a NUL) like any bad row, storing the others', async () => {
    const store = await openPostgresStore({ connectionString: TEST_DATABASE_URL, schema: freshSchema() });
    // Event 250 (in the sixth 50-event batch) holds a NUL: it once failed its whole batch and the import.
    const input = eventLines(600, (i) => (i === 250 ? 'Queue\u0000 250' : `Queue ${i}`));
    const summary = await importStream(Readable.from([Buffer.from(input)]), {
      store,
      customerId,
      format: 'ndjson',
      batchSize: 50,
    });
    expect(summary.accepted).toBe(599);
    expect(summary.rejected).toEqual([{ line: 251, reason: expect.stringContaining('NUL character') }]);
    const ids = (await store.eventsAfter(0, 1000)).map((s) => s.event.id);
    expect(ids).not.toContain('evt-250');
    expect(ids).toContain('evt-251');
    expect(ids).toHaveLength(599);
    await store.close();
  });

  it('stores the first occurrence in the file when a repeat sits in the next batch under way', async () => {
    const store = await openPostgresStore({ connectionString: TEST_DATABASE_URL, schema: freshSchema() });
    const lines = eventLines(200).trimEnd().split('\n');
    const event = (i: number) => JSON.parse(lines[i] as string) as Record<string, unknown>;
    // Line 99 ends the first batch of 100; the second batch opens with the same id, other content,
    // and with the same content under another id.
    lines[99] = JSON.stringify({ ...event(99), id: 'dup', displayName: 'FIRST' });
    lines[100] = JSON.stringify({ ...event(99), id: 'dup', displayName: 'SECOND' });
    lines[101] = JSON.stringify({ ...event(99), id: 'same-content-later', displayName: 'FIRST' });
    const summary = await importStream(Readable.from([Buffer.from(`${lines.join('\n')}\n`)]), {
      store,
      customerId,
      format: 'ndjson',
      batchSize: 100,
    });
    expect(summary).toMatchObject({ accepted: 198, duplicate: 2 });
    expect((await store.get(customerId, 'dup'))?.displayName).toBe('FIRST');
    expect(await store.get(customerId, 'same-content-later')).toBeNull();
    await store.close();
  });
});
