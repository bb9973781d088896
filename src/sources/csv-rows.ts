import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';
import { type CsvError, type Options, parse } from 'csv-parse';

/** A record of the file, with the 1-based physical line it starts on (the header is line 1). */
export type CsvRow =
  | { kind: 'record'; line: number; cells: string[] }
  /** A record csv-parse could not read; `fatal` when nothing after it can be read either. */
  | { kind: 'malformed'; line: number; reason: string; fatal: boolean };

/**
 * Largest record csv-parse will hold. A `details` cell over MAX_DETAILS_BYTES (1 MB) still fits, so
 * it is refused by the normaliser with its size and the rows after it are read. A record larger
 * than this is almost always an unclosed quote swallowing the file; csv-parse cannot find the next
 * record after it, so reading stops there rather than letting memory grow with the file.
 */
export const MAX_CSV_RECORD_BYTES = 16 * 1024 * 1024;

const CR = 0x0d;

/**
 * CRLF → LF between records, byte-wise (safe in UTF-8): csv-parse counts a CRLF as two lines, and
 * with LF only its line numbers are the file's physical lines. A CRLF inside a quoted cell is data
 * and is kept (a Windows line break in a name comes back as it was written). Counts the bytes it passes.
 */
export function lineEndingNormalizer(onBytes: (bytes: number) => void): Transform {
  let pendingCr = false;
  const quotes = new QuoteState();
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      onBytes(chunk.length);
      let buf = pendingCr ? Buffer.concat([Buffer.of(CR), chunk]) : chunk;
      pendingCr = buf.at(-1) === CR;
      if (pendingCr) buf = buf.subarray(0, -1);
      callback(null, dropCrBeforeLf(buf, quotes));
    },
    flush(callback: TransformCallback) {
      callback(null, pendingCr ? Buffer.of(CR) : undefined);
    },
  });
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Whether the stream is inside a quoted cell, read as csv-parse reads it: a quote opens a cell only
 * at its start (after a comma, a line break, the beginning or a BOM) — a stray `27"` in an unquoted
 * cell is a character — and inside, `""` is an escaped quote. Carried across chunks.
 */
class QuoteState {
  inside = false;
  /** The byte before the buffer under way (null at the start of the stream). */
  private previous: number | null = null;
  /** The buffer's last byte closed a quoted cell (the next may reopen it: `""` across chunks). */
  private closedAtEnd = false;
  private offset = 0;

  /** Takes the quote at `at` in `buf` into account. */
  quote(buf: Buffer, at: number, closedAt: { index: number }): void {
    if (this.inside) {
      this.inside = false;
      closedAt.index = at;
      return;
    }
    const escapedPair = at === 0 ? this.closedAtEnd : closedAt.index === at - 1;
    const before = at === 0 ? this.previous : (buf[at - 1] ?? null);
    const afterBom = this.offset + at === BOM.length && BOM.every((byte, i) => buf[i - this.offset] === byte);
    if (escapedPair || before === null || before === COMMA || before === LF || before === CR || afterBom) {
      this.inside = true;
    }
  }

  /** After a buffer: remembers its end for the next one. */
  finish(buf: Buffer, closedAt: { index: number }): void {
    if (buf.length === 0) return;
    this.previous = buf[buf.length - 1] ?? null;
    this.closedAtEnd = closedAt.index === buf.length - 1;
    this.offset += buf.length;
  }
}

/** Drops the CR of every CRLF outside quoted cells; native searches for both, no per-byte loop. */
function dropCrBeforeLf(buf: Buffer, quotes: QuoteState): Buffer {
  const closedAt = { index: -2 };
  const parts: Buffer[] = [];
  let from = 0;
  let quote = buf.indexOf(QUOTE);
  let crlf = buf.indexOf('\r\n');
  while (crlf !== -1 || quote !== -1) {
    if (quote !== -1 && (crlf === -1 || quote < crlf)) {
      quotes.quote(buf, quote, closedAt);
      quote = buf.indexOf(QUOTE, quote + 1);
      continue;
    }
    if (!quotes.inside) {
      parts.push(buf.subarray(from, crlf));
      from = crlf + 1;
    }
    crlf = buf.indexOf('\r\n', crlf + 2);
  }
  quotes.finish(buf, closedAt);
  if (parts.length === 0) return buf;
  parts.push(buf.subarray(from));
  return Buffer.concat(parts);
}

/** Line breaks inside a record's cells as csv-parse counts them: a CRLF kept in a quoted cell is two. */
function innerLineBreaks(cells: readonly string[]): number {
  let breaks = 0;
  for (const cell of cells) {
    for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) breaks++;
    for (let i = cell.indexOf('\r'); i !== -1; i = cell.indexOf('\r', i + 1)) breaks++;
  }
  return breaks;
}

/** Errors csv-parse raises inside a record, on the line where it meets the bad character. */
const MID_RECORD_ERRORS = new Set<string>([
  'INVALID_OPENING_QUOTE',
  'CSV_INVALID_CLOSING_QUOTE',
  'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE',
]);

interface ErrorPlace {
  line: number;
  /** Where csv-parse noticed the problem (the end of the file for an unclosed quote). */
  errorLine: number;
  headerColumns: number;
}

function malformedReason(error: CsvError, place: ErrorPlace): string {
  const { line, errorLine } = place;
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const got = Array.isArray(error.record) ? error.record.length : 'a different number of';
      return `the row has ${got} values but the header has ${place.headerColumns} columns — quote values that contain commas ("a, b") and keep one value per column`;
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return `a quoted value opened on line ${line} is never closed, so lines ${line}–${errorLine} were read as one value — add the closing quote (")`;
    case 'INVALID_OPENING_QUOTE':
      return 'a value that contains quotes must be quoted as a whole, with its quotes doubled ("say ""hi""")';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote inside a quoted value must be doubled ("") — a stray quote ends the value too early';
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is larger than ${MAX_CSV_RECORD_BYTES / (1024 * 1024)} MB, most likely because a quote is never closed; auditbot stopped reading the file here, so nothing after line ${line} was imported — fix the quoting and import the file again (rows already imported are skipped)`;
    default:
      return `${error.message} — check the quoting of this row`;
  }
}

/**
 * Places records and csv-parse's errors on the physical line they start on. csv-parse reports the
 * line where it *is*: the end of a record, or the bad character inside one.
 */
class LinePlacer {
  private lastEnd = 0;
  private emptyAtLastEnd = 0;
  /** CRLFs inside the cells of records read so far: csv-parse counted each as two lines, the file has one. */
  private doubled = 0;
  private readonly reported = new Set<string>();

  recordStart(cells: readonly string[], info: { lines: number; empty_lines: number }): number {
    this.lastEnd = info.lines;
    this.emptyAtLastEnd = info.empty_lines;
    const start = info.lines - innerLineBreaks(cells) - this.doubled;
    for (const cell of cells)
      for (let i = cell.indexOf('\r\n'); i !== -1; i = cell.indexOf('\r\n', i + 2)) this.doubled++;
    return start;
  }

  /** The line of a malformed record, or null when csv-parse already reported this problem for it. */
  errorStart(error: CsvError): { line: number; errorLine: number } | null {
    const errorLine = typeof error.lines === 'number' ? error.lines : this.lastEnd + 1;
    const emptyLines = typeof error.empty_lines === 'number' ? error.empty_lines : this.emptyAtLastEnd;
    // By default the record starts after the last one ended (and any blank lines skipped since).
    let line = this.lastEnd + 1 + (emptyLines - this.emptyAtLastEnd);
    if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && Array.isArray(error.record)) {
      line = errorLine - innerLineBreaks(error.record.map(String));
      this.lastEnd = errorLine;
      this.emptyAtLastEnd = emptyLines;
    } else if (MID_RECORD_ERRORS.has(error.code)) {
      // Point at the line with the stray quote; the record ends there or soon after.
      line = errorLine;
      this.lastEnd = Math.max(this.lastEnd, errorLine);
      this.emptyAtLastEnd = emptyLines;
    }
    const key = `${line}:${error.code}`;
    if (this.reported.has(key)) return null;
    this.reported.add(key);
    return { line: line - this.doubled, errorLine: errorLine - this.doubled };
  }
}

/**
 * The records of a CSV stream, in file order, with malformed ones reported (not thrown) so that every
 * good row can still be stored. Streams: memory holds one record at a time (at most MAX_CSV_RECORD_BYTES).
 */
export async function* csvRows(input: Readable, onBytes: (bytes: number) => void = () => {}): AsyncGenerator<CsvRow> {
  const placer = new LinePlacer();
  let stopped = false;
  let headerColumns = 0;
  const options: Options<CsvRow, string[]> = {
    bom: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_CSV_RECORD_BYTES,
    on_record: (cells: string[], info): CsvRow => {
      if (headerColumns === 0) headerColumns = cells.length;
      return { kind: 'record', line: placer.recordStart(cells, info), cells };
    },
    on_skip: (error) => {
      const place = error === undefined || stopped ? null : placer.errorStart(error);
      if (error === undefined || place === null) return undefined;
      stopped = error.code === 'CSV_MAX_RECORD_SIZE';
      const reason = malformedReason(error, { ...place, headerColumns });
      // Pushed into the same object stream as the records, so problems arrive in file order.
      parser.push({ kind: 'malformed', line: place.line, reason, fatal: stopped } satisfies CsvRow);
      return undefined;
    },
  };
  // csv-parse types an options-only parser as string[] records; ours are CsvRow (from on_record).
  const parser = parse(options as unknown as Options);
  // pipeline destroys every stage when one fails or when the consumer stops early.
  pipeline(input, lineEndingNormalizer(onBytes), parser, () => {});
  try {
    for await (const row of parser as AsyncIterable<CsvRow>) {
      yield row;
      if (row.kind === 'malformed' && row.fatal) return;
    }
  } finally {
    input.destroy();
  }
}
