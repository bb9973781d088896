import fc from 'fast-check';

/*
 * Generated query text as a hostile or careless admin might type it (issue: no query can take the
 * bot hostage): qualifiers, search syntax of FTS5 and tsquery, control characters, huge words,
 * thousands of terms or OR branches. Shared by test/store/hostile-queries.test.ts and the benchmark.
 */
const PIECES = [
  'op:delete',
  '-op:delete',
  'op:create,update,delete',
  'who:alice',
  'entity:ringgroup',
  'app:cc',
  'region:uk-eu',
  'when:7d',
  'since:2026-11-01',
  'via:',
  'key:',
  '"',
  '""',
  'OR',
  'AND',
  'NEAR(',
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
  '\\',
  '\u0000',
  '\u0001',
  '\u009f',
  '\ud800',
  'é',
  'ß',
  'שלום',
  '🎉',
  'sales',
  'ring',
  'a',
  'x'.repeat(5000),
  ' ',
  ',',
];

export const hostileQuery = fc.oneof(
  fc
    .array(fc.constantFrom(...PIECES), { maxLength: 12 })
    .map((parts) => parts.join(fc.sample(fc.constantFrom(' ', ''), 1)[0] ?? ' ')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1, max: 3000 }).map((n) => Array.from({ length: n }, () => 'a').join(' ')),
  fc.integer({ min: 1, max: 2000 }).map((n) => Array.from({ length: n }, () => 'sales').join(' OR ')),
  fc.integer({ min: 1, max: 60 }).map((n) => `op:${Array.from({ length: n }, () => 'delete').join(',')}`),
);
