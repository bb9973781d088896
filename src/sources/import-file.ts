import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Readable } from 'node:stream';
import { MAX_DETAILS_BYTES } from '../domain/audit-event.js';
import { AuditbotError } from '../errors.js';
import type { EventStore } from '../store/event-store.js';
import { mapHeader, recordFromCells } from './csv-columns.js';
import { csvRows } from './csv-rows.js';
import { type ImportFormat, type ImportProgress, ImportRun, type ImportSummary } from './import-batch.js';
import { ndjsonLines } from './ndjson-lines.js';
import { normalizeCsvRecord, normalizeIngestEvent } from './normalize.js';

export type { ImportFormat, ImportProgress, ImportSummary, RejectedRow } from './import-batch.js';

export interface ImportOptions {
  store: EventStore;
  /** The tenant the events belong to; rows naming another customer are rejected. */
  customerId: string;
  format?: ImportFormat;
  batchSize?: number;
  onProgress?: (progress: ImportProgress) => void;
  /** Refuse the whole file, storing nothing, at its first bad row (`import --strict`). */
  strict?: boolean;
}

export interface StreamImportOptions extends ImportOptions {
  format: ImportFormat;
  /** How messages name the input (a file name). */
  name?: string;
  totalBytes?: number;
  /** Read and check every row, store nothing, throw at the first bad one. */
  checkOnly?: boolean;
}

const DEFAULT_BATCH_SIZE = 1000;
/** An NDJSON line can hold a 1 MB details document escaped inside a JSON string, and the other fields. */
const MAX_NDJSON_LINE_BYTES = 2 * MAX_DETAILS_BYTES + 64 * 1024;
/** A JSON file is parsed whole (JSON.parse has no streaming mode); past this, NDJSON is the way. */
const MAX_JSON_FILE_BYTES = 256 * 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;

function importError(message: string): AuditbotError {
  return new AuditbotError('import_failed', message);
}

function emptyError(name: string): AuditbotError {
  return importError(
    `${name} is empty — export a report from the Admin Console (Audit events → Generate report → Download) and import that CSV file`,
  );
}

export function formatFromExtension(path: string): ImportFormat | null {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.ndjson' || extension === '.jsonl') return 'ndjson';
  if (extension === '.json') return 'json';
  return null;
}

/** Guesses the format from the start of a file; null when it holds nothing but blanks. */
export function sniffFormat(head: string): ImportFormat | null {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text === '') return null;
  if (text.startsWith('[')) return 'json';
  if (!text.startsWith('{')) return 'csv';
  // One complete object on the first line is NDJSON, unless it is an API response ({"data":[…]}).
  try {
    const first: unknown = JSON.parse(text.split('\n', 1)[0] ?? '');
    const isResponse = first !== null && typeof first === 'object' && 'data' in first;
    return isResponse ? 'json' : 'ndjson';
  } catch {
    return 'json';
  }
}

async function fileFacts(path: string): Promise<{ size: number; head: string }> {
  const facts = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw importError(`${path} does not exist — check the path and the file name`);
    throw importError(`${path} cannot be read (${error.code ?? error.message}) — check the path and its permissions`);
  });
  if (facts.isDirectory()) throw importError(`${path} is a directory — give the path of a .csv, .ndjson or .json file`);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(facts.size, SNIFF_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { size: facts.size, head: buffer.subarray(0, bytesRead).toString('utf8') };
  } finally {
    await handle.close();
  }
}

/**
 * Imports an Admin Console CSV report, an NDJSON file or a JSON file into the store. Streams CSV and
 * NDJSON (memory stays flat whatever the file size); every good row is stored, every bad one is
 * listed with its line and the fix. Idempotent: importing the same file again stores nothing new.
 */
export async function importFile(path: string, options: ImportOptions): Promise<ImportSummary> {
  const { size, head } = await fileFacts(path);
  const name = basename(path);
  if (size === 0) throw emptyError(name);
  // Blank content in any format is reported as empty by the format's reader too.
  const format = options.format ?? formatFromExtension(path) ?? sniffFormat(head) ?? 'csv';
  // Strict: a first pass reads every row and stores nothing, so one bad row refuses the whole file.
  if (options.strict) await importStream(createReadStream(path), { ...options, format, name, checkOnly: true });
  return importStream(createReadStream(path), { ...options, format, name, totalBytes: size });
}

/** Imports from any readable byte stream in a known format (the ingest endpoint, tests). */
export async function importStream(input: Readable, options: StreamImportOptions): Promise<ImportSummary> {
  const run = new ImportRun({
    store: options.store,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    totalBytes: options.totalBytes ?? 0,
    onProgress: options.checkOnly ? undefined : options.onProgress,
    checkOnly: options.checkOnly ? { name: options.name ?? 'the input' } : undefined,
  });
  const context = { name: options.name ?? 'the input', customerId: options.customerId };
  try {
    if (options.format === 'csv') await importCsv(input, run, context);
    else if (options.format === 'ndjson') await importNdjson(input, run, context);
    else await importJson(input, run, context);
  } catch (error) {
    // Unreadable input: the batches already sent end before the error is reported.
    await run.abandon();
    throw error;
  }
  return run.finish(options.format);
}

interface ImportContext {
  name: string;
  customerId: string;
}

async function importCsv(input: Readable, run: ImportRun, context: ImportContext): Promise<void> {
  let mapping: ReturnType<typeof mapHeader> | null = null;
  let lastMalformedLine = 0;
  for await (const row of csvRows(input, run.countBytes)) {
    // Spreadsheets leave rows of empty cells (",,,,") behind; they are nobody's data.
    if (row.kind === 'record' && row.cells.every((cell) => cell.trim() === '')) continue;
    if (mapping === null) {
      if (row.kind === 'malformed')
        throw importError(`${context.name}: the header (line 1) cannot be read: ${row.reason}`);
      mapping = mapHeader(row.cells);
      if (mapping.missing.length > 0) throw missingColumnsError(context.name, mapping.missing, row.cells);
      continue;
    }
    if (row.kind === 'malformed') {
      // Two problems of one broken record are two reasons, not two rows.
      if (row.line !== lastMalformedLine) run.rows++;
      lastMalformedLine = row.line;
      run.reject(row.line, row.reason);
      continue;
    }
    run.rows++;
    const record = recordFromCells(mapping, row.cells);
    const result = normalizeCsvRecord(record, { customerId: context.customerId, line: row.line });
    if (result.ok) await run.accept(result.event);
    else run.reject(row.line, result.error);
  }
  if (mapping === null) throw emptyError(context.name);
}

function missingColumnsError(name: string, missing: readonly string[], found: readonly string[]): AuditbotError {
  const shown = found.map((header) => JSON.stringify(header.replace(/^\uFEFF/, '').trim())).join(', ');
  return importError(
    `${name} has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''} (found ${shown}) — ` +
      'export the report again from the Admin Console, or rename the header; names are matched ignoring case, spaces and underscores',
  );
}

async function importNdjson(input: Readable, run: ImportRun, context: ImportContext): Promise<void> {
  const lines = ndjsonLines(input, { maxLineBytes: MAX_NDJSON_LINE_BYTES, onBytes: run.countBytes });
  for await (const entry of lines) {
    run.rows++;
    if ('tooLong' in entry) {
      const mb = (entry.tooLong / (1024 * 1024)).toFixed(1);
      run.reject(
        entry.line,
        `the line is ${mb} MB, more than any event can be (details are limited to 1 MB) — shorten its details`,
      );
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(entry.text);
    } catch (error) {
      run.reject(
        entry.line,
        `the line is not valid JSON (${(error as Error).message}) — write one JSON object per line`,
      );
      continue;
    }
    await acceptEventObject(run, value, entry.line, { customerId: context.customerId, prefix: '' });
  }
  if (run.rows === 0) throw emptyError(context.name);
}

async function acceptEventObject(
  run: ImportRun,
  value: unknown,
  line: number,
  context: { customerId: string; prefix: string },
): Promise<void> {
  const result = normalizeIngestEvent(value, { customerId: context.customerId, source: 'import' });
  if (result.ok) await run.accept(result.event);
  else run.reject(line, `${context.prefix}${result.error}`);
}

/** JSON is read whole: an array of events, one event, or an API response `{ "data": [...] }`. */
async function importJson(input: Readable, run: ImportRun, context: ImportContext): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of input as AsyncIterable<Buffer>) {
    run.countBytes(chunk.length);
    if (run.bytesRead > MAX_JSON_FILE_BYTES) {
      input.destroy();
      throw importError(
        `${context.name} is larger than 256 MB — convert it to NDJSON (one event per line) and import that`,
      );
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (text.trim() === '') throw emptyError(context.name);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw importError(`${context.name} is not valid JSON (${(error as Error).message}) — fix it, or use NDJSON`);
  }
  const items = eventItems(document);
  if (items === null) {
    throw importError(
      `${context.name} holds neither an array of events nor {"data": [...]} — wrap the events in an array`,
    );
  }
  for (const [index, item] of items.entries()) {
    run.rows++;
    await acceptEventObject(run, item, index + 1, { customerId: context.customerId, prefix: `item ${index + 1}: ` });
  }
}

function eventItems(document: unknown): unknown[] | null {
  if (Array.isArray(document)) return document;
  if (document === null || typeof document !== 'object') return null;
  const data = (document as Record<string, unknown>).data;
  if (Array.isArray(data)) return data;
  return 'eventType' in document ? [document] : null;
}
