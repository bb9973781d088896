import type { QueryError } from './audit-query.js';
import { termWords } from './search-words.js';

/*
 * What one query may ask of a store (README, "Limits"). No real admin query comes near them; a
 * query past them could keep a store busy for seconds (5,000 one-letter words took 225 s), and with
 * everyone's commands sharing a store, everyone would wait.
 */
export const QUERY_LIMITS = {
  /** Characters of query text. */
  maxLength: 1000,
  /** Free-text terms (bare words and "quoted phrases"). */
  maxTerms: 8,
  /** Words in one quoted phrase. */
  maxPhraseWords: 12,
  /** Values of all qualifiers together (each comma-separated value is an OR branch). */
  maxValues: 40,
  /** A one-word term of ASCII letters or digits must be this long: `a` would match every word with an a… */
  minWordChars: 3,
} as const;

/** C0 and C1 controls (tab and line breaks are spaces), DEL, lone surrogates and non-characters. */
const CONTROL = /(?![\t\n\r])\p{Cc}|\p{Cs}|[\ufffe\uffff]/u;

/** The text as a whole: refused before it is read when too long or holding a control character. */
export function checkQueryText(text: string): QueryError[] {
  if (text.length > QUERY_LIMITS.maxLength) {
    return [
      {
        position: QUERY_LIMITS.maxLength,
        length: text.length - QUERY_LIMITS.maxLength,
        message: `the query is ${text.length.toLocaleString('en-US')} characters long; at most ${QUERY_LIMITS.maxLength.toLocaleString('en-US')} are read — shorten it, or narrow it with when:/op:/who: instead of more words`,
      },
    ];
  }
  const control = CONTROL.exec(text);
  if (control) {
    const code = (control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return [
      {
        position: control.index,
        length: control[0].length,
        message: `the query holds an invisible control character (U+${code}) at position ${control.index + 1} — retype that part, or paste it as plain text`,
      },
    ];
  }
  return [];
}

/** A free-text term's own problem (too many words, too short a word), or null. */
export function checkTerm(term: string): string | null {
  const words = termWords(term);
  if (words.length > QUERY_LIMITS.maxPhraseWords) {
    return `a phrase of ${words.length} words is more than the ${QUERY_LIMITS.maxPhraseWords} searched together — keep the words that name the change`;
  }
  const [word] = words;
  if (words.length === 1 && word !== undefined && /^[a-z0-9]+$/.test(word) && word.length < QUERY_LIMITS.minWordChars) {
    return `\`${word}\` is too short to search for: a word needs at least ${QUERY_LIMITS.minWordChars} letters or digits — use a longer word, a phrase ("${word} …"), or key:/who: for ids`;
  }
  return null;
}

export function termsLimitMessage(count: number): string {
  return `${count} search words or phrases are more than the ${QUERY_LIMITS.maxTerms} a query may hold — keep the telling ones, and narrow with when:/op:/who:`;
}

export function valuesLimitMessage(count: number): string {
  return `${count} qualifier values are more than the ${QUERY_LIMITS.maxValues} a query may hold — split it into several queries`;
}
