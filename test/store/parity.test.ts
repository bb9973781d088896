import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventMatches } from '../../src/alerts/event-match.js';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import { detailsText } from '../../src/domain/audit-event.js';
import type { EventFilter } from '../../src/domain/event-filter.js';
import type { EventStore } from '../../src/store/event-store.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { postgresAvailable, TEST_DATABASE_URL, testSchemas } from '../helpers/postgres.js';
import { referenceWords } from '../helpers/reference-words.js';
import { collectPages } from './contract.js';
import { auditEvent, BASE_TIME, isoAt, matchesFilter, newestFirst } from './fixtures.js';

/*
 * Store parity, by property: for generated events and generated filters, SQLite and PostgreSQL return
 * the same events in the same order, page after page, and both equal a plain in-memory filter (the
 * oracle), whose free text is written here from the documented semantics (README, "Free text") the
 * slow, obvious way. PARITY_SEED and PARITY_RUNS replay or widen a run.
 */

const RUNS = Number(process.env.PARITY_RUNS ?? 60);
const SEED = Number(process.env.PARITY_SEED ?? Date.now() % 2 ** 31);

// ---- the oracle's free text -------------------------------------------------------------------
const MAX_INDEXED_CHARS = 100_000;
const MAX_WORD_BYTES = 2047;

const oracleWords = referenceWords;

const fitsIndex = (word: string) => Buffer.byteLength(word) <= MAX_WORD_BYTES;

function oracleFields(event: AuditEvent): string[][] {
  const fields = [
    event.displayName,
    event.entityKey,
    event.entityType,
    event.auditUserId,
    event.impersonator,
    detailsText(event),
  ];
  let budget = MAX_INDEXED_CHARS;
  return fields.map((field) => {
    if (!field || budget <= 0) return [];
    const part = field.slice(0, budget);
    budget -= part.length;
    return oracleWords(part).filter(fitsIndex);
  });
}

function termOccurs(term: string[], fields: string[][]): boolean {
  if (!term.every(fitsIndex)) return false;
  return fields.some((words) =>
    words.some((_, start) =>
      term.every((want, i) => {
        const word = words[start + i];
        return word !== undefined && (i === term.length - 1 ? word.startsWith(want) : word === want);
      }),
    ),
  );
}

function oracleMatches(event: AuditEvent, filter: EventFilter): boolean {
  if (!matchesFilter(event, filter)) return false;
  const terms = (filter.text ?? []).map(oracleWords).filter((term) => term.length > 0);
  if (terms.length === 0) return true;
  const fields = oracleFields(event);
  return terms.every((term) => termOccurs(term, fields));
}

// ---- generated events and filters ------------------------------------------------------------
type Generated<A> = A extends fc.Arbitrary<infer T> ? T : never;

const VOCABULARY = [
  'Name',
  'name',
  '1',
  '12',
  'Sales',
  'sales',
  'EMEA',
  'Ring',
  'ringgroup',
  'Café',
  'cafe',
  'CAFÉ',
  'Łódź',
  'straße',
  'ﬁle',
  'ℌilbert',
  'İstanbul',
  'שלום',
  'مرحبا',
  '日本語',
  '🎉',
  'NEAR',
  'AND',
  'OR',
  'NOT',
];
/** Words longer than an index keeps (5,000 characters; 2,200 bytes): only details may hold them (names ≤ 1,000). */
const LONG_WORDS = ['x'.repeat(5000), 'ab'.repeat(1100)];
const SEPARATORS = [' ', ' ', ' – ', '-', '_', '.', '\t', '\n', ', ', '"', '*', ':', '\u200b', '\u00a0', ' 🎉 '];
const OPERATOR_TEXT = [
  'NEAR(',
  '"',
  '""',
  '*',
  '-',
  ':',
  '^',
  '(',
  ')',
  "'",
  '&',
  '|',
  '!',
  '<->',
  '\u0000',
  '\\',
  '+',
];

const shortWord = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...VOCABULARY) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }) },
);
const anyWord = fc.oneof(
  { weight: 12, arbitrary: shortWord },
  { weight: 1, arbitrary: fc.constantFrom(...LONG_WORDS) },
);
const separator = fc.constantFrom(...SEPARATORS);

/** Words joined by varied separators; NUL is left out (PostgreSQL text cannot hold it, append refuses it). */
const phraseText = (maxWords: number, word = shortWord) =>
  fc
    .tuple(fc.array(word, { minLength: 1, maxLength: maxWords }), fc.array(separator, { minLength: maxWords }))
    .map(([words, seps]) => words.map((w, i) => (i === 0 ? w : `${seps[i] ?? ' '}${w}`)).join(''))
    .map((text) => text.replaceAll('\u0000', ' '));

const eventArb = fc.record({
  minute: fc.integer({ min: 0, max: 40 }),
  eventType: fc.constantFrom('create', 'update', 'delete', 'bulk'),
  entityType: fc.constantFrom('RingGroup', 'ringgroup', 'User', 'Queue'),
  // Keys are at most 1,000 characters (the event schema), so no long words here.
  entityKey: fc.oneof(
    fc.constantFrom('rg-1', 'rg-2', 'Name 1', 'u-7', 'Name_12'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  ),
  displayName: fc.option(phraseText(6), { nil: null }),
  auditUserId: fc.option(fc.constantFrom('alice', 'bob', 'Name', 'José'), { nil: null }),
  impersonator: fc.option(fc.constantFrom('SUP-81', 'partner 1'), { nil: null }),
  detailsNew: phraseText(8, anyWord),
  detailsOld: fc.option(phraseText(4, anyWord), { nil: null }),
  raw: fc.option(phraseText(5, anyWord), { nil: null, freq: 6 }),
});

function toEvent(customerId: string, index: number, g: Generated<typeof eventArb>): AuditEvent {
  return auditEvent({
    id: `e${index}`,
    customerId,
    auditTimestamp: isoAt(g.minute),
    eventType: g.eventType as AuditEvent['eventType'],
    entityType: g.entityType,
    entityKey: g.entityKey.trim() === '' ? `k${index}` : g.entityKey,
    displayName: g.displayName,
    auditUserId: g.auditUserId,
    impersonator: g.impersonator,
    details:
      g.raw === null ? { new: { name: g.detailsNew }, ...(g.detailsOld ? { old: { name: g.detailsOld } } : {}) } : null,
    rawDetails: g.raw,
  });
}

/** A term as an admin might type it: words, a prefix of one, or text full of FTS and tsquery syntax. */
const termArb = fc.oneof(
  { weight: 4, arbitrary: phraseText(3, anyWord) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...VOCABULARY, ...LONG_WORDS), fc.integer({ min: 1, max: 6000 }))
      .map(([w, n]) => [...w].slice(0, n).join('')),
  },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...OPERATOR_TEXT), fc.constantFrom(...VOCABULARY)), {
        minLength: 1,
        maxLength: 4,
      })
      .map((parts) => parts.join('')),
  },
);

/** Absent three times in four, so that combined filters still leave events to compare. */
const rarely = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const valueFilter = <T extends string>(values: readonly T[]) =>
  rarely(
    fc.record({
      include: fc.uniqueArray(fc.constantFrom(...values), { maxLength: 2 }),
      exclude: fc.uniqueArray(fc.constantFrom(...values), { maxLength: 1 }),
    }),
  );

/** A piece of a stored event's text, cut anywhere: whole words, half words, separators, across fields. */
const pieceArb = fc.record({
  event: fc.nat(),
  field: fc.constantFrom('displayName', 'entityKey', 'details', 'auditUserId'),
  start: fc.nat({ max: 40 }),
  length: fc.integer({ min: 1, max: 16 }),
});

function pieceOf(events: readonly AuditEvent[], piece: Generated<typeof pieceArb>): string {
  const event = events[piece.event % events.length];
  if (!event) return '';
  const text = piece.field === 'details' ? detailsText(event) : (event[piece.field] ?? '');
  const start = Math.min(piece.start, Math.max(0, text.length - 1));
  return text.slice(start, start + piece.length);
}

const filterArb = fc.record({
  text: rarely(fc.array(termArb, { minLength: 1, maxLength: 2 })),
  pieces: fc.array(pieceArb, { maxLength: 2 }),
  eventTypes: valueFilter(['create', 'update', 'delete', 'bulk']),
  actors: valueFilter(['alice', 'bob', 'Name', 'José']),
  entityTypes: valueFilter(['RingGroup', 'user', 'Queue']),
  impersonated: rarely(fc.boolean()),
  from: fc.integer({ min: 0, max: 40 }),
  span: fc.constantFrom(5, 20, 60),
  pageSize: fc.constantFrom(1, 3, 50),
});

function toFilter(customerId: string, g: Generated<typeof filterArb>, events: readonly AuditEvent[]): EventFilter {
  const start = BASE_TIME + (g.from - 10) * 60_000;
  const filter: EventFilter = { customerId, range: { start, end: start + g.span * 60_000 } };
  const text = [...(g.text ?? []), ...g.pieces.map((piece) => pieceOf(events, piece))];
  if (text.length > 0) filter.text = text;
  if (g.eventTypes) filter.eventTypes = g.eventTypes;
  if (g.actors) filter.actors = g.actors;
  if (g.entityTypes) filter.entityTypes = g.entityTypes;
  if (g.impersonated !== undefined) filter.impersonated = g.impersonated;
  return filter;
}

// ---- the property --------------------------------------------------------------------------
const available = await postgresAvailable('test/store/parity.test.ts');
const schemas = testSchemas('parity');
let sqlite: EventStore;
let postgres: EventStore;
let directory: string;
let run = 0;
const stats = { runs: 0, events: 0, queries: 0, textQueries: 0, nonEmpty: 0 };

describe.runIf(available)('store parity: SQLite = PostgreSQL = the alert matcher = the in-memory oracle', () => {
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'auditbot-parity-'));
    sqlite = openSqliteStore(join(directory, 'parity.db'));
    postgres = await openPostgresStore({ connectionString: TEST_DATABASE_URL, schema: schemas.fresh(), poolMax: 4 });
  });
  afterAll(async () => {
    await sqlite?.close();
    await postgres?.close();
    await schemas.dropAll();
    rmSync(directory, { recursive: true, force: true });
    process.stdout.write(
      `store parity: seed ${SEED}, ${stats.runs} runs, ${stats.events} events, ${stats.queries} queries ` +
        `(${stats.textQueries} with free text, ${stats.nonEmpty} with matches)\n`,
    );
  });

  it('gives the same events in the same order on both stores, equal to the oracle', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 30 }),
        fc.array(filterArb, { minLength: 1, maxLength: 8 }),
        async (generatedEvents, generatedFilters) => {
          run += 1;
          const customerId = `parity-${SEED}-${run}`;
          const events = generatedEvents.map((g, i) => toEvent(customerId, i, g));
          const [onSqlite, onPostgres] = await Promise.all([sqlite.append(events), postgres.append(events)]);
          expect(onPostgres.outcomes).toEqual(onSqlite.outcomes);
          const stored = events.filter((_, i) => onSqlite.outcomes[i] === 'inserted');
          stats.runs += 1;
          stats.events += stored.length;
          for (const generated of generatedFilters) {
            const filter = toFilter(customerId, generated, stored);
            const expected = stored
              .filter((e) => oracleMatches(e, filter))
              .sort(newestFirst)
              .map((e) => e.id);
            const [fromSqlite, fromPostgres] = await Promise.all([
              collectPages(sqlite, filter, generated.pageSize),
              collectPages(postgres, filter, generated.pageSize),
            ]);
            const shown = JSON.stringify(filter);
            // The alert matcher decides in memory, without the time range: the same answer again.
            const inRange = stored.filter((e) => matchesFilter(e, { customerId, range: filter.range }));
            const matched = inRange
              .filter((e) => eventMatches(filter, e))
              .sort(newestFirst)
              .map((e) => e.id);
            expect(matched, `alert matcher, ${shown}`).toEqual(expected);
            expect(
              fromSqlite.map((e) => e.id),
              `SQLite, ${shown}`,
            ).toEqual(expected);
            expect(
              fromPostgres.map((e) => e.id),
              `PostgreSQL, ${shown}`,
            ).toEqual(expected);
            expect(await sqlite.count(filter), `SQLite count, ${shown}`).toBe(expected.length);
            expect(await postgres.count(filter), `PostgreSQL count, ${shown}`).toBe(expected.length);
            stats.queries += 1;
            if (filter.text) stats.textQueries += 1;
            if (expected.length > 0) stats.nonEmpty += 1;
          }
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  }, 120_000);
});
