import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REGIONS } from '../../src/domain/audit-event.js';
import {
  APPLICATIONS,
  type AuditQuery,
  LIST_FIELDS,
  type ListField,
  OPERATIONS,
  type TimePoint,
  type ValueFilter,
  WHEN_PRESETS,
} from '../../src/domain/audit-query.js';
import { describeQuery, formatQuery, parseQuery } from '../../src/domain/query-language.js';
import { checkQueryText, checkTerm } from '../../src/domain/query-limits.js';

const query = (q: Partial<AuditQuery>): AuditQuery => ({ filters: {}, text: [], ...q });
const inc = (...include: string[]) => ({ include, exclude: [] });

describe('formatQuery', () => {
  it.each<[AuditQuery, string]>([
    [query({}), ''],
    [query({ filters: { op: { include: ['delete', 'bulk'], exclude: ['read'] } } }), 'op:delete,bulk -op:read'],
    [query({ filters: { who: { include: [], exclude: ['bob'] } } }), '-who:bob'],
    [
      query({
        text: ['Sales'],
        until: { kind: 'instant', iso: '2026-11-20' },
        since: { kind: 'ago', amount: 7, unit: 'd' },
        impersonated: false,
        filters: { corr: inc('c1'), op: inc('delete'), who: inc('alice'), app: inc('cc') },
      }),
      'who:alice op:delete app:cc corr:c1 impersonated:no since:7d until:2026-11-20 Sales',
    ],
    [query({ when: '24h', impersonated: true }), 'impersonated:yes when:24h'],
  ])('writes %j as %s', (q, text) => {
    expect(formatQuery(q)).toBe(text);
  });

  it.each<[string, string]>([
    ['Alice Martin', 'who:"Alice Martin"'],
    ['a,b', 'who:"a,b"'],
    ['say "hi"', 'who:"say \\"hi\\""'],
    ['back\\slash', 'who:back\\slash'],
    ['back\\slash "q"', 'who:"back\\\\slash \\"q\\""'],
    ['urn:x:1', 'who:urn:x:1'],
    ['-x', 'who:-x'],
    ['', 'who:""'],
  ])('quotes a value only when it must: %j', (value, text) => {
    expect(formatQuery(query({ filters: { who: inc(value) } }))).toBe(text);
  });

  it.each<[string, string]>([
    ['Sales', 'Sales'],
    ['ring group', '"ring group"'],
    ['who:alice', '"who:alice"'],
    ['12:30', '"12:30"'],
    ['-x', '"-x"'],
    ['a-b', 'a-b'],
    ['a,b', 'a,b'],
    ['say "hi"', '"say \\"hi\\""'],
  ])('quotes a free-text term only when it must: %j', (term, text) => {
    expect(formatQuery(query({ text: [term] }))).toBe(text);
  });
});

describe('describeQuery', () => {
  it.each<[string, string]>([
    ['', 'events'],
    ['op:delete who:alice when:7d', 'delete events by alice in the last 7 days'],
    ['op:delete,bulk -who:bob,carol when:today', 'delete or bulk events not by bob or carol today'],
    [
      '-op:read entity:ringgroup app:cc region:uk-eu since:1h',
      'events except read on ringgroup in cc in region uk-eu in the last hour',
    ],
    [
      'impersonated:yes Sales since:2026-11-01 until:2026-11-20',
      'events made by impersonation matching "Sales" since 2026-11-01 until 2026-11-20',
    ],
    ['until:3d', 'events until 3 days ago'],
  ])('%s → %s', (text, sentence) => {
    const parsed = parseQuery(text);
    expect(parsed.ok && describeQuery(parsed.query)).toBe(sentence);
  });
});

/** Characters that stress quoting: spaces, quotes, backslashes, commas, colons, minus, non-ASCII. */
const trickyChar = fc.constantFrom('a', 'Z', '7', ' ', '\t', '"', '\\', ',', ':', '-', 'é', '→', '\u00a0');
const freeText = fc
  .oneof(
    fc.string({ unit: trickyChar, minLength: 1, maxLength: 8 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
  )
  // What the parser accepts at all: no control characters (query-limits.ts).
  .filter((s) => s.trim() !== '' && checkQueryText(s).length === 0);
/** Free-text terms the parser accepts: none shorter than a searchable word. */
const searchTerm = freeText.filter((s) => checkTerm(s) === null);

function valueFilter(value: fc.Arbitrary<string>): fc.Arbitrary<ValueFilter> {
  const values = fc.uniqueArray(value, { maxLength: 3 });
  return fc.record({ include: values, exclude: values }).filter((f) => f.include.length + f.exclude.length > 0);
}

const canonicalValues: Record<ListField, fc.Arbitrary<string>> = {
  who: freeText,
  op: fc.constantFrom(...OPERATIONS),
  entity: freeText,
  app: fc.constantFrom(...Object.keys(APPLICATIONS)),
  region: fc.constantFrom(...REGIONS),
  key: freeText,
  via: freeText,
  corr: freeText,
};

const filtersArb = fc.record(
  Object.fromEntries(LIST_FIELDS.map((field) => [field, valueFilter(canonicalValues[field])])) as Record<
    ListField,
    fc.Arbitrary<ValueFilter>
  >,
  { requiredKeys: [] },
);

const dateArb = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2099-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const timePointArb: fc.Arbitrary<TimePoint> = fc.oneof(
  fc.record({
    kind: fc.constant('ago' as const),
    amount: fc.integer({ min: 1, max: 9_999_999 }),
    unit: fc.constantFrom('m' as const, 'h' as const, 'd' as const, 'w' as const),
  }),
  dateArb.map((d): TimePoint => ({ kind: 'instant', iso: d.toISOString().slice(0, 10) })),
  dateArb.map((d): TimePoint => ({ kind: 'instant', iso: d.toISOString() })),
  dateArb.map((d): TimePoint => ({ kind: 'instant', iso: d.toISOString().slice(0, 16) })),
  dateArb.map((d): TimePoint => ({ kind: 'instant', iso: `${d.toISOString().slice(0, 19)}+05:30` })),
);

const timeArb = fc.oneof(
  fc.constant({}),
  fc.record({ when: fc.constantFrom(...WHEN_PRESETS) }),
  fc.record({ since: timePointArb, until: timePointArb }, { requiredKeys: [] }),
);

const auditQueryArb: fc.Arbitrary<AuditQuery> = fc
  .tuple(filtersArb, timeArb, fc.option(fc.boolean(), { nil: undefined }), fc.array(searchTerm, { maxLength: 4 }))
  .map(([filters, time, impersonated, text]) => ({
    filters,
    text,
    ...time,
    ...(impersonated === undefined ? {} : { impersonated }),
  }));

/** Query-shaped noise: the pieces users type, glued together in any order. */
const queryishText = fc
  .array(
    fc.oneof(
      fc.constantFrom('who:', 'op:', '-', '"', ',', ' ', ' ', ':', '\\', 'usr:', 'app:', 'when:', 'since:', 'until:'),
      fc.constantFrom('alice', 'delete', 'read', 'cc', 'uk', '7d', '2026-11-01', 'yes', 'impersonated:', 'x1', '12:30'),
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''));

describe('formatQuery ∘ parseQuery round trip', () => {
  it('parses the formatted text of any canonical query back to the same query', () => {
    fc.assert(
      fc.property(auditQueryArb, (q) => {
        expect(parseQuery(formatQuery(q))).toEqual({ ok: true, query: q });
      }),
      { numRuns: 500 },
    );
  });

  it('is a fixed point: a parsed query re-parses to itself from its canonical text', () => {
    fc.assert(
      fc.property(fc.oneof(queryishText, fc.string({ unit: trickyChar, maxLength: 20 })), (text) => {
        const first = parseQuery(text);
        if (!first.ok) return;
        expect(parseQuery(formatQuery(first.query))).toEqual(first);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws, and every error points inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(queryishText, fc.string({ unit: 'binary', maxLength: 30 })), (text) => {
        const result = parseQuery(text);
        for (const error of result.ok ? [] : result.errors) {
          expect(error.position).toBeGreaterThanOrEqual(0);
          expect(error.position + error.length).toBeLessThanOrEqual(text.length);
          expect(error.message.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
