/*
 * Free-text semantics, defined once for every store and for the tests' oracle (README, "Free text"):
 *
 * - Searched fields: display name, entity key, entity type, actor id, impersonator id and the details
 *   (their JSON text, or the raw text when it was not JSON) — SEARCHED_FIELDS, in that order.
 * - Words: lower case, NFKD with the combining diacritics (U+0300–U+036F) dropped, then any run of
 *   letters or digits; every other character separates words. `Sales – EMEA` is `sales emea`, `José` is `jose`.
 * - A term (a bare word or a "quoted phrase") is its words, adjacent and in order in one field, the
 *   last one as a prefix: `ring` finds `ringgroup`, "Name 1" finds `name 12` but not `name x 1`, nor
 *   `name` at the end of one field and `1` at the start of the next. Every term must match.
 * - Indexed: the first MAX_INDEXED_CHARS characters of an event's fields; words up to MAX_WORD_BYTES
 *   bytes of UTF-8 (a longer word is not indexed; the words around it become neighbours). A term with
 *   no word at all (`!!!`, an emoji) is no condition.
 *
 * Both stores index the words this module finds — SQLite's FTS5 table receives them pre-split, under
 * the `ascii` tokenizer that keeps them as they are; PostgreSQL stores them beside a tsvector built
 * from them — so the stores and the oracle agree on every character, whatever the database's locale.
 * Tokenising in V8 is also cheaper: measured on the demo events, PostgreSQL's text parser,
 * regexp_replace and normalize cost ~100 µs a row, more than the rest of an insert twice over.
 */

const COMBINING_MARKS = /[\u0300-\u036f]+/g;
const NOT_WORDS = /[^\p{L}\p{N}]+/gu;
/**
 * Characters that are never part of a word on the Unicode road either (not a letter or digit, and
 * none in their NFKD form): Latin-1 punctuation and symbols, and General Punctuation (dashes,
 * quotes, ellipsis, zero-width and format characters). Treating them as separators in the ASCII pass
 * gives the same words, and keeps text such as "Sales – EMEA" off the slow road (search-text.test.ts
 * checks every one of them).
 */
export const PUNCTUATION = '\u00a0-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8\u00bb\u00bf\u00d7\u00f7\u2000-\u206f';
/** Runs of separators: ASCII characters that are not letters or digits, and PUNCTUATION (text is lower-cased first). */
const SEPARATORS = new RegExp(`[\\u0000-\\u002f\\u003a-\\u0060\\u007b-\\u007f${PUNCTUATION}]+`, 'g');
const NON_ASCII = /[\u0080-\uffff]/;
/**
 * A space-delimited part holding a non-ASCII character: only these take the slow Unicode road. The
 * lookbehind anchors a match at the start of a part, so an ASCII word is scanned once, not once per
 * character.
 */
const NON_ASCII_PARTS = /(?<![^ ])[^ \u0080-\uffff]*[\u0080-\uffff][^ ]*/g;
const SPACES = / {2,}/g;
const LONG_WORD = /[^ ]{683}/;

/** Only the start of a very long text is indexed (a tsvector is capped at 1 MB). */
export const MAX_INDEXED_CHARS = 100_000;
/** Longer words are not indexed (PostgreSQL's tsvector refuses them); nobody searches for them. */
export const MAX_WORD_BYTES = 2047;

/** Whether a word is short enough to be indexed (MAX_WORD_BYTES); a term holding a longer one matches nothing. */
export function indexable(word: string): boolean {
  return word.length > 0 && (word.length * 3 <= MAX_WORD_BYTES || Buffer.byteLength(word) <= MAX_WORD_BYTES);
}

/** Lower case again after NFKD: a letter such as ℌ has no lower case but decomposes to an upper-case H. */
function unicodeWords(part: string): string {
  return part.normalize('NFKD').toLowerCase().replace(COMBINING_MARKS, '').replace(NOT_WORDS, ' ').trim();
}

/**
 * The words of a text, space-separated: lower case, diacritics removed (NFKD, combining marks
 * dropped), split at anything but a letter or digit, words longer than PostgreSQL indexes left out.
 * Built with native replaces, not arrays, and only the parts holding a non-ASCII character take the
 * (four times slower) Unicode road: the result is the same as sending all of the text there.
 */
function wordList(text: string): string {
  let words = textWords(text);
  if (words.length * 3 > MAX_WORD_BYTES && LONG_WORD.test(words)) words = words.split(' ').filter(indexable).join(' ');
  return words;
}

/** The words of a text, lower case and folded, none dropped for length. */
function textWords(text: string): string {
  let words = text.toLowerCase().replace(SEPARATORS, ' ');
  if (NON_ASCII.test(words)) words = words.replace(NON_ASCII_PARTS, unicodeWords).replace(SPACES, ' ');
  return words.trim();
}

/** The words of a search term. A word too long to be indexed is kept: the term then matches nothing. */
export function termWords(term: string): string[] {
  const words = textWords(term);
  return words === '' ? [] : words.split(' ');
}

/** The terms of a search that are a condition at all (those with a word). */
export function searchTerms(terms: readonly string[]): string[][] {
  return terms.map(termWords).filter((words) => words.length > 0);
}

/** The stored fields searched, in the order the budget of MAX_INDEXED_CHARS is spent on them. */
export const SEARCHED_FIELDS = ['displayName', 'entityKey', 'entityType', 'auditUserId', 'impersonator', 'details'];

/**
 * The indexed words of each searched field (SEARCHED_FIELDS order), space-separated: what both
 * stores index. `details` is the text stored for it (JSON, or the raw text that was not JSON).
 */
export function fieldWords(fields: readonly (string | null | undefined)[]): string[] {
  const result: string[] = [];
  let budget = MAX_INDEXED_CHARS;
  for (const field of fields) {
    if (!field || budget <= 0) {
      result.push('');
      continue;
    }
    const part = field.length > budget ? field.slice(0, budget) : field;
    budget -= part.length;
    result.push(wordList(part));
  }
  return result;
}

/** Whether a term's words occur side by side in one field's words, the last as a prefix. */
function runOccurs(term: readonly string[], words: readonly string[]): boolean {
  const last = term.length - 1;
  for (let start = 0; start + term.length <= words.length; start += 1) {
    let ok = true;
    for (let i = 0; i < term.length && ok; i += 1) {
      const word = words[start + i] ?? '';
      const want = term[i] ?? '';
      ok = i === last ? word.startsWith(want) : word === want;
    }
    if (ok) return true;
  }
  return false;
}

/**
 * Whether fields (their fieldWords) match every term (searchTerms): the semantics above, in memory,
 * for the alert matcher. A term holding a word too long to be indexed matches nothing.
 */
export function wordsMatch(fields: readonly string[], terms: readonly (readonly string[])[]): boolean {
  if (terms.length === 0) return true;
  const split = fields.map((field) => (field === '' ? [] : field.split(' ')));
  return terms.every((term) => term.every(indexable) && split.some((words) => runOccurs(term, words)));
}
