import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import { writeReport } from '../../src/reports/csv-report.js';
import { importFile } from '../../src/sources/import-file.js';
import { normalizeIngestEvent } from '../../src/sources/normalize.js';
import { openEventStore } from '../../src/store/open-store.js';
import { sampleEvent } from '../reports/sample-events.js';

/*
 * CSV report → import, by property: events that arrived by a road (here ingest's normalisation, which
 * every road shares) with generated hostile strings in every text field (formula starters, quotes,
 * separators, line breaks, BOMs, RTL and zero-width marks, emoji, lone surrogates) are reported, and
 * the report imported into an empty store gives them back field for field. ROUND_TRIP_SEED replays a run.
 */
const SEED = Number(process.env.ROUND_TRIP_SEED ?? Date.now() % 2 ** 31);
const RUNS = Number(process.env.ROUND_TRIP_RUNS ?? 40);

const HOSTILE_PIECES = [
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\n',
  '\r\n',
  ',',
  ';',
  '"',
  '""',
  "'",
  '\\',
  '\ufeff',
  '\u202e',
  '\u200b',
  'שלום',
  '🎉',
  '=HYPERLINK("http://evil","x")',
  '=cmd|/C calc!A0',
  ' ',
  'null',
  'true',
  '1e5',
  '{"new":{}}',
];
const hostileText = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_PIECES) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
    ),
    { minLength: 1, maxLength: 6 },
  )
  .map((parts) => parts.join('').replaceAll('\u0000', ''))
  // Names and keys the schema accepts: at most 1,000 characters, and text that is not only spaces.
  .filter((text) => text.trim() !== '' && text.length <= 1000);

const detailsValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileText,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileText, tie('value'), { maxKeys: 3 }),
  ),
})).value;

const eventArb = fc.record({
  displayName: fc.option(hostileText, { nil: null }),
  entityKey: hostileText,
  auditUserId: fc.option(hostileText, { nil: null }),
  impersonator: fc.option(hostileText, { nil: null }),
  accessMethod: fc.option(hostileText, { nil: null }),
  correlationId: fc.option(hostileText, { nil: null }),
  details: fc.oneof(
    fc.record({ new: fc.dictionary(hostileText, detailsValue, { maxKeys: 3 }) }),
    fc.record({
      new: fc.dictionary(hostileText, detailsValue, { maxKeys: 2 }),
      old: fc.dictionary(hostileText, detailsValue, { maxKeys: 2 }),
    }),
    detailsValue,
  ),
});

/** Lone surrogates cannot be written as UTF-8: a report holds U+FFFD for them, as SQLite does. */
function asStored(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function storedForm<T>(value: T): T {
  return JSON.parse(asStored(JSON.stringify(value))) as T;
}

const { id: _id, source: _source, ...fields } = sampleEvent(0);
type Content = typeof fields;

function content({ id: _i, source: _s, ...rest }: AuditEvent): Content {
  return rest;
}

const stats = { events: 0 };
let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'auditbot-roundtrip-prop-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
  process.stdout.write(`CSV round trip: seed ${SEED}, ${RUNS} runs, ${stats.events} events\n`);
});

describe('report → import round trip, by property', () => {
  it('keeps every field of generated hostile events', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(eventArb, { minLength: 1, maxLength: 12 }), async (generated) => {
        run += 1;
        const events = generated.flatMap((g, i) => {
          const { source: _s, ...wire } = sampleEvent(i + 1, { ...g, id: `e-${i}` });
          const normalized = normalizeIngestEvent(wire, { customerId: '0012345QAB' });
          return normalized.ok ? [normalized.event] : [];
        });
        stats.events += events.length;
        async function* source(): AsyncIterable<AuditEvent> {
          yield* events;
        }
        const parts = await writeReport(source(), { directory, baseName: `run-${run}`, maxRowsPerFile: 5 });
        const store = await openEventStore('sqlite::memory:');
        try {
          for (const part of parts) {
            const summary = await importFile(part.path, { store, customerId: '0012345QAB' });
            expect(summary.rejected).toEqual([]);
          }
          const imported: AuditEvent[] = [];
          const filter = { customerId: '0012345QAB', range: { start: 0, end: Date.now() * 2 } };
          for await (const event of store.stream(filter)) imported.push(event);
          const byTime = (list: Content[]) =>
            [...list].sort((a, b) => a.auditTimestamp.localeCompare(b.auditTimestamp));
          expect(byTime(imported.map(content))).toEqual(byTime(events.map((e) => storedForm(content(e)))));
        } finally {
          await store.close();
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 60_000);
});
