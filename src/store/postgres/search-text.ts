import { fieldWords, indexable, searchTerms } from '../../domain/search-words.js';

/*
 * Free text on PostgreSQL, with the semantics of src/domain/search-words.ts. Each event stores its
 * search lines (`search_words`: one line per searched field, each word after a space) and a tsvector
 * of the same words (`search`, GIN-indexed, no positions). A term's words must all be in the vector —
 * the index finds those rows — and a term of several words must also occur as one run in a line:
 * `strpos(search_words, ' name 1')` finds `name` then a word starting with `1`, side by side in one
 * field. Positions in the tsvector could not say that exactly: PostgreSQL keeps at most 256 per word
 * and none past 16,383, so phrases deep in a large `details` would go missing.
 */

/** An event's search lines: its fields' words, one field a line, every word after a space. */
export function searchLines(fields: readonly (string | null | undefined)[]): string {
  let lines = '';
  for (const words of fieldWords(fields)) {
    if (words === '') continue;
    lines = lines === '' ? ` ${words}` : `${lines}\n ${words}`;
  }
  return lines;
}

/** The tsvector of search lines, in SQL: the words without the line breaks (see APPEND_SQL). */
export function searchVectorSql(lines: string): string {
  return `array_to_tsvector(string_to_array(ltrim(translate(${lines}, E'\\n', '')), ' '))`;
}

/** The text condition of a search: the tsquery the index answers, and the runs checked in the lines. */
export interface TextCondition {
  tsquery: string;
  runs: string[];
}

/**
 * Every word of every term must occur, the last word of a term as a prefix (`ring` finds
 * `ringgroup`); a term of several words must also occur as one run (` name 1`) in a line. Words are
 * only letters and digits, quoted, so tsquery operators in user text (`&`, `|`, `!`, `:`, `*`, `(`,
 * `<->`) are never operators. Null when no term has a word; 'nothing' when a term holds a word too
 * long to be indexed (PostgreSQL would refuse it in a tsquery).
 */
export function textCondition(terms: readonly string[]): TextCondition | 'nothing' | null {
  const words = searchTerms(terms);
  if (words.length === 0) return null;
  if (words.some((term) => !term.every(indexable))) return 'nothing';
  const parts: string[] = [];
  for (const term of words) {
    term.forEach((word, i) => {
      parts.push(i === term.length - 1 ? `'${word}':*` : `'${word}'`);
    });
  }
  return {
    tsquery: parts.join(' & '),
    runs: words.filter((term) => term.length > 1).map((term) => ` ${term.join(' ')}`),
  };
}
