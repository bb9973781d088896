import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Stringifier, stringify } from 'csv-stringify';
import { type AuditEvent, detailsText } from '../domain/audit-event.js';
import type { ReportPart } from '../replies/reply.js';
import { CSV_COLUMNS, neutraliseCell } from '../sources/csv-columns.js';

/** The report's columns, in order: the Admin Console report's, so auditbot's reports import back. */
export const REPORT_COLUMNS = CSV_COLUMNS;

/** The Admin Console's own report limit; spreadsheets and auditors expect files no larger. */
export const DEFAULT_MAX_ROWS_PER_FILE = 50_000;

/** One event as report cells: `details` as JSON text, formula-like cells neutralised. */
export function reportRow(event: AuditEvent): string[] {
  return REPORT_COLUMNS.map((column) => {
    const value = column === 'details' ? detailsText(event) : (event[column] ?? '');
    return neutraliseCell(value);
  });
}

interface OpenPart {
  /** Where the part is written until the number of parts is known. */
  partialPath: string;
  stringifier: Stringifier;
  file: WriteStream;
  written: Promise<void>;
  rows: number;
}

function openPart(directory: string, baseName: string, index: number): OpenPart {
  const partialPath = join(directory, `${baseName}-part-${index}.csv.partial`);
  // A BOM makes spreadsheet programs read the file as UTF-8 (names with accents stay intact).
  // Larger buffers than the defaults (16 rows, 16 KB) mean far fewer pauses; memory stays bounded.
  const stringifier = stringify({
    header: true,
    columns: [...REPORT_COLUMNS],
    bom: true,
    writableHighWaterMark: 512,
    readableHighWaterMark: 256 * 1024,
  });
  const file = createWriteStream(partialPath, { highWaterMark: 256 * 1024 });
  const written = pipeline(stringifier, file);
  // Awaited when the part is closed; this only keeps an early failure from being "unhandled" meanwhile.
  written.catch(() => {});
  return { partialPath, stringifier, file, written, rows: 0 };
}

/** Backpressure: wait for the file to catch up rather than buffering the whole report in memory. */
async function drained(part: OpenPart): Promise<void> {
  await Promise.race([once(part.stringifier, 'drain'), part.written]);
}

async function closePart(part: OpenPart): Promise<number> {
  part.stringifier.end();
  await part.written;
  return part.file.bytesWritten;
}

function partName(baseName: string, index: number, count: number): string {
  return count === 1 ? `${baseName}.csv` : `${baseName}-part-${index}-of-${count}.csv`;
}

/**
 * Streams events into CSV files of at most `maxRowsPerFile` rows each, never truncating: a new part
 * starts when one is full, and parts are named "part i of n" once n is known. No events → one file
 * with the header only. On failure, the partial files are removed.
 */
export async function writeReport(
  events: AsyncIterable<AuditEvent>,
  options: { directory: string; baseName: string; maxRowsPerFile?: number },
): Promise<ReportPart[]> {
  const { directory, baseName } = options;
  const maxRows = options.maxRowsPerFile ?? DEFAULT_MAX_ROWS_PER_FILE;
  if (basename(baseName) !== baseName || baseName === '')
    throw new Error(`report name "${baseName}" must be a plain file name`);
  if (!Number.isInteger(maxRows) || maxRows < 1)
    throw new Error(`maxRowsPerFile must be a positive integer, not ${maxRows}`);
  await mkdir(directory, { recursive: true });
  const closed: { partialPath: string; rows: number; bytes: number }[] = [];
  let part = openPart(directory, baseName, 1);
  try {
    for await (const event of events) {
      if (part.rows === maxRows) {
        closed.push({ partialPath: part.partialPath, rows: part.rows, bytes: await closePart(part) });
        part = openPart(directory, baseName, closed.length + 1);
      }
      part.rows++;
      if (!part.stringifier.write(reportRow(event))) await drained(part);
    }
    closed.push({ partialPath: part.partialPath, rows: part.rows, bytes: await closePart(part) });
  } catch (error) {
    part.stringifier.destroy();
    const partials = [...closed.map((c) => c.partialPath), part.partialPath];
    await Promise.all(partials.map((path) => rm(path, { force: true })));
    throw error;
  }
  return Promise.all(
    closed.map(async ({ partialPath, rows, bytes }, i) => {
      const name = partName(baseName, i + 1, closed.length);
      const path = join(directory, name);
      await rename(partialPath, path);
      return { name, path, rows, bytes };
    }),
  );
}
