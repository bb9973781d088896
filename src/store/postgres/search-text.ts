/*
 * Free text for PostgreSQL, tokenised in one place — here — for both what is stored (a tsvector
 * literal per event) and what is asked (a tsquery), so the two always agree whatever the database's
 * locale. Tokenising mirrors SQLite FTS5's unicode61 with remove_diacritics: lower case, NFKD with
 * combining marks dropped, any run of letters or digits is a word.
 *
 * Why not a generated column (`to_tsvector(...)` in the table definition): measured on this
 * project's demo events, PostgreSQL's text parser, regexp_replace and normalize cost ~100 µs a row,
 * more than the rest of an insert twice over; the same work in V8 is a few µs.
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

/** Only the start of a very long text is indexed: a tsvector is capped at 1 MB. */
const MAX_INDEXED_CHARS = 100_000;
/** Longer words are refused by tsvector input; nobody searches for them. */
const MAX_WORD_BYTES = 2047;

function indexable(word: string): boolean {
  return word.length > 0 && (word.length * 3 <= MAX_WORD_BYTES || Buffer.byteLength(word) <= MAX_WORD_BYTES);
}

function unicodeWords(part: string): string {
  return part.normalize('NFKD').replace(COMBINING_MARKS, '').replace(NOT_WORDS, ' ').trim();
}

/**
 * The words of a text, space-separated: lower case, diacritics removed (NFKD, combining marks
 * dropped), split at anything but a letter or digit, words longer than PostgreSQL indexes left out.
 * Built with native replaces, not arrays, and only the parts holding a non-ASCII character take the
 * (four times slower) Unicode road: the result is the same as sending all of the text there.
 */
function wordList(text: string): string {
  let words = text.toLowerCase().replace(SEPARATORS, ' ');
  if (NON_ASCII.test(words)) words = words.replace(NON_ASCII_PARTS, unicodeWords).replace(SPACES, ' ');
  words = words.trim();
  if (words.length * 3 > MAX_WORD_BYTES && LONG_WORD.test(words)) words = words.split(' ').filter(indexable).join(' ');
  return words;
}

/** The words of a search term, as wordList finds them in stored text. */
export function searchWords(text: string): string[] {
  const words = wordList(text);
  return words === '' ? [] : words.split(' ');
}

/**
 * The words of the fields, space-separated, for array_to_tsvector (which sorts them and merges
 * repeats, in C, cheaper than a Set here). No positions: every word a term
 * holds must occur, not side by side (positions cost more to build than the words themselves, and
 * phrase matches need a recheck of each row). Words hold only letters and digits: nothing in them
 * can be read as tsvector syntax.
 */
export function searchVector(fields: readonly (string | null | undefined)[]): string {
  // One pass over the fields joined by a space (a separator, so no word spans two fields): the
  // same words as field by field, for one lower-casing and one replace instead of six.
  let text = '';
  let budget = MAX_INDEXED_CHARS;
  for (const field of fields) {
    if (!field || budget <= 0) continue;
    const part = field.length > budget ? field.slice(0, budget) : field;
    budget -= part.length;
    text = text === '' ? part : `${text} ${part}`;
  }
  return wordList(text);
}

/**
 * A tsquery in which every term must occur: each of a term's words (`bob@example.com` is three),
 * the last one as a prefix (`ring` finds `ringgroup`). Words are only letters and digits, quoted,
 * so tsquery operators in user text (`&`, `|`, `!`, `:`, `*`, `(`, `<->`) are never operators.
 * Terms without a letter or digit are dropped, as in SQLite; null when none is left.
 */
export function tsqueryExpression(terms: readonly string[]): string | null {
  const parts: string[] = [];
  for (const term of terms) {
    const words = searchWords(term);
    words.forEach((word, i) => {
      parts.push(i === words.length - 1 ? `'${word}':*` : `'${word}'`);
    });
  }
  return parts.length === 0 ? null : parts.join(' & ');
}
