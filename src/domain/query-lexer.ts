import type { QueryError } from './audit-query.js';

/** One value of a qualifier, or one free-text term, with where it sits in the input. */
export interface LexedValue {
  text: string;
  /** Offset of its first character (an opening quote included). */
  start: number;
  end: number;
  /** True when a quote was left open; the lexer has reported it already. */
  unterminated: boolean;
}

export type QueryToken =
  | {
      kind: 'qualifier';
      /** As typed (callers lower-case it). */
      name: string;
      negated: boolean;
      /** Offset of the name, after any `-`. */
      nameStart: number;
      start: number;
      end: number;
      values: LexedValue[];
    }
  | { kind: 'text'; term: LexedValue; negated: boolean; start: number; end: number };

export interface LexResult {
  tokens: QueryToken[];
  errors: QueryError[];
}

const WHITESPACE = /\s/;
/** A qualifier name: letters then `:`, except URLs (`https://…`), which stay free text. */
const QUALIFIER_NAME = /([A-Za-z]+):(?!\/\/)/y;

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && WHITESPACE.test(ch);
}

/**
 * Splits query text into qualifiers and free-text terms. A term or value is a run of non-space
 * characters in which `"…"` sections may hold spaces, commas and `\"`/`\\` escapes (like a shell
 * word), so `who:"Alice Martin"` and `who:Alice" Martin"` mean the same. Never throws.
 */
export function lexQuery(input: string): LexResult {
  const lexer = new Lexer(input);
  lexer.run();
  return { tokens: lexer.tokens, errors: lexer.errors };
}

class Lexer {
  readonly tokens: QueryToken[] = [];
  readonly errors: QueryError[] = [];
  private pos = 0;

  constructor(private readonly input: string) {}

  run(): void {
    for (;;) {
      while (isSpace(this.input[this.pos])) this.pos++;
      if (this.pos >= this.input.length) return;
      this.token();
    }
  }

  private token(): void {
    const start = this.pos;
    // A lone `-` is an ordinary word; `-x` negates x.
    const negated = this.input[start] === '-' && start + 1 < this.input.length && !isSpace(this.input[start + 1]);
    const nameStart = negated ? start + 1 : start;
    QUALIFIER_NAME.lastIndex = nameStart;
    const name = QUALIFIER_NAME.exec(this.input);
    if (name?.[1] !== undefined) {
      this.pos = nameStart + name[0].length;
      const values = this.valueList();
      this.tokens.push({ kind: 'qualifier', name: name[1], negated, nameStart, start, end: this.pos, values });
      return;
    }
    this.pos = nameStart;
    const term = this.word(false);
    this.tokens.push({ kind: 'text', term, negated, start, end: this.pos });
  }

  private valueList(): LexedValue[] {
    const values = [this.word(true)];
    while (this.input[this.pos] === ',') {
      this.pos++;
      values.push(this.word(true));
    }
    return values;
  }

  private word(stopAtComma: boolean): LexedValue {
    const start = this.pos;
    let text = '';
    let unterminated = false;
    for (;;) {
      const ch = this.input[this.pos];
      if (ch === undefined || isSpace(ch) || (stopAtComma && ch === ',')) break;
      if (ch === '"') {
        const quoted = this.quoted();
        text += quoted.text;
        unterminated ||= quoted.unterminated;
      } else {
        text += ch;
        this.pos++;
      }
    }
    return { text, start, end: this.pos, unterminated };
  }

  /** Reads `"…"` from the opening quote; an open quote runs to the end of the input. */
  private quoted(): { text: string; unterminated: boolean } {
    const open = this.pos;
    let text = '';
    this.pos++;
    while (this.pos < this.input.length) {
      const ch = this.input[this.pos] as string;
      const next = this.input[this.pos + 1];
      if (ch === '"') {
        this.pos++;
        return { text, unterminated: false };
      }
      if (ch === '\\' && (next === '"' || next === '\\')) {
        text += next;
        this.pos += 2;
      } else {
        text += ch;
        this.pos++;
      }
    }
    const rest = this.input.slice(open);
    this.errors.push({
      position: open,
      length: rest.length,
      message: 'unterminated quote — close it with `"` (write `\\"` for a quote inside quotes)',
      // After a trailing backslash an added quote would be escaped, so there is no simple fix to offer.
      ...(rest.endsWith('\\') ? {} : { suggestion: `${rest}"` }),
    });
    return { text, unterminated: true };
  }
}
