import type { AuditEvent } from '../../domain/audit-event.js';
import { canonicalEvent } from '../../domain/chain-hash.js';
import { eventToInsertParams, insertRowToEvent } from '../sqlite/rows.js';
import { searchLines, searchVectorSql } from './search-text.js';

/** The columns of an eventToInsertParams row, in its order, then its search lines (search-text.ts). */
const INPUT_COLUMNS = [
  'customer_id',
  'id',
  'ts',
  'event_type',
  'service',
  'entity_type',
  'entity_type_key',
  'entity_key',
  'display_name',
  'audit_user_id',
  'impersonator',
  'details',
  'raw_details',
  'correlation_type',
  'correlation_id',
  'access_method',
  'region',
  'source',
  'fingerprint',
  'search_words',
  'idx',
] as const;

/** The AuditEvent field behind each input column, for errors that name what to fix. */
const FIELD_NAMES = [
  'customerId',
  'id',
  'auditTimestamp',
  'eventType',
  'service',
  'entityType',
  'entityType',
  'entityKey',
  'displayName',
  'auditUserId',
  'impersonator',
  'details',
  'rawDetails',
  'correlationType',
  'correlationId',
  'accessMethod',
  'region',
  'source',
];

const KEY_ONLY_COLUMNS: readonly string[] = ['fingerprint', 'idx'];
const STORED_COLUMNS = INPUT_COLUMNS.filter((name) => !KEY_ONLY_COLUMNS.includes(name));

/**
 * One statement per chunk (append.ts). The chunk travels as one JSON array of rows: V8 writes it
 * natively and PostgreSQL parses it once (jsonb) — measured ~40% cheaper than one text array per
 * column, whose every element pg escapes in JavaScript. The rows
 * take their dedupe keys, and only the rows that got one are stored; re-sent events lose the ON
 * CONFLICT race to the first writer even when two instances append the same event at the same moment.
 * array_to_tsvector sorts and merges the words without running the tsvector text parser, which costs
 * a locale-aware character test per byte. Keys carry the call's batch (taken at BEGIN, append.ts) and
 * the event's position in the call, from which its seq follows at commit (schema.ts, version 7).
 */
export const APPEND_SQL = `
WITH input AS (
  SELECT ${INPUT_COLUMNS.map((name, i) => (name === 'ts' || name === 'idx' ? `(r->>${i})::int8 AS ${name}` : `r->>${i} AS ${name}`)).join(', ')}
  FROM jsonb_array_elements($1::jsonb) AS r
), fresh AS (
  INSERT INTO event_keys (customer_id, id, fingerprint, ts, batch, idx)
  SELECT customer_id, id, decode(fingerprint, 'hex'), ts, currval('append_batch_seq'), idx FROM input
  ON CONFLICT DO NOTHING
  RETURNING customer_id, id, idx
), stored AS (
  INSERT INTO events (${STORED_COLUMNS.join(', ')}, search, stored_at)
  SELECT ${STORED_COLUMNS.map((name) => `i.${name}`).join(', ')},
    ${searchVectorSql('i.search_words')}, $2::int8
  FROM input i JOIN fresh f ON f.customer_id = i.customer_id AND f.id = i.id
)
SELECT coalesce(array_agg(idx::int4), '{}') AS stored FROM fresh`;

/**
 * Refuses text PostgreSQL cannot store (a NUL) rather than failing the whole statement on it, naming
 * the event (its index in the call) and the field.
 */
function assertStorableText(row: readonly unknown[], index: number): void {
  for (let column = 0; column < FIELD_NAMES.length; column++) {
    const value = row[column];
    if (typeof value === 'string' && value.includes('\u0000')) {
      throw new Error(
        `Event ${index} is invalid: ${FIELD_NAMES[column]}: contains a NUL character (\\u0000), which PostgreSQL text cannot hold`,
      );
    }
  }
}

const keyOf = (customerId: unknown, id: unknown) => `${customerId}\u0000${id}`;

/**
 * Duplicates inside one call (same id, or same content under another id) are settled here, the
 * first occurrence winning as it would across calls.
 */
export class BatchDedupe {
  private readonly ids = new Set<string>();
  private readonly fingerprints = new Set<string>();

  firstOccurrence(row: readonly unknown[]): boolean {
    const id = keyOf(row[0], row[1]);
    const fingerprint = keyOf(row[0], row[18]);
    if (this.ids.has(id) || this.fingerprints.has(fingerprint)) return false;
    this.ids.add(id);
    this.fingerprints.add(fingerprint);
    return true;
  }
}

/** The search lines of an eventToInsertParams row's searched fields (SEARCHED_FIELDS order). */
function searchLinesOf(row: readonly unknown[]): string {
  const field = (index: number) => row[index] as string | null;
  return searchLines([field(8), field(7), field(5), field(9), field(10), field(12) ?? field(11)]);
}

/**
 * JSON.stringify escapes a lone surrogate (\udXXX) — text no UTF-8 can hold — which jsonb refuses.
 * Such text becomes U+FFFD, as SQLite stores it. Escapes after an escaped backslash are data, kept.
 */
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/**
 * The rows as one JSON text. A NUL shows in it as the escape \u0000 (so does the text "\u0000"
 * typed with a backslash, which the row-by-row check then lets through): one native search of the
 * whole chunk instead of a test of every field.
 */
function batchJson(rows: readonly unknown[][]): string {
  const json = JSON.stringify(rows);
  if (json.includes('\\u0000')) for (const row of rows) assertStorableText(row, row[row.length - 1] as number);
  return json.includes('\\ud') ? json.replace(LONE_SURROGATE_ESCAPE, '$1\\ufffd') : json;
}

/** Part of a call's events, ready to send. */
export interface AppendChunk {
  /** How many events are sent (first occurrences only); APPEND_SQL returns the call indexes stored. */
  sent: number;
  /** APPEND_SQL's parameters: the rows sent as JSON, then stored_at. */
  values: [string, number];
  /** Each row's call index and the canonical form its chain link hashes (chain.ts), in row order. */
  indexes: number[];
  canonicals: string[];
}

/** Each row's canonical form (what its chain link hashes), kept beside the row until its chunk is made. */
const canonicalOfRow = new WeakMap<readonly unknown[], string>();

/** The event as it reads back, hashed from the details it was given (no re-parse of their JSON text). */
function canonicalOf(row: readonly unknown[], details: unknown): string {
  try {
    return canonicalEvent(insertRowToEvent(row, row[11] === null ? undefined : { value: details }));
  } catch {
    // A value JSON writes differently (NaN as null): the details as stored.
    return canonicalEvent(insertRowToEvent(row));
  }
}

/** Validates, dedupes and converts events into `rows` (their call indexes start at `offset`). */
export function addRows(rows: unknown[][], events: readonly AuditEvent[], offset: number, dedupe: BatchDedupe): void {
  for (let position = 0; position < events.length; position++) {
    const index = offset + position;
    const event = events[position] as AuditEvent;
    const row = eventToInsertParams(event, index);
    if (!dedupe.firstOccurrence(row)) continue;
    canonicalOfRow.set(row, canonicalOf(row, event.details));
    row.push(searchLinesOf(row), index);
    rows.push(row);
  }
}

export function chunkOf(rows: readonly unknown[][], storedAt: number): AppendChunk {
  const indexes = rows.map((row) => row[row.length - 1] as number);
  // What the chain hashes: the event as it reads back (canonicalEvent stores a lone surrogate as U+FFFD, as batchJson does).
  const canonicals = rows.map((row) => canonicalOfRow.get(row) ?? canonicalEvent(insertRowToEvent(row)));
  return { sent: rows.length, values: [batchJson(rows), storedAt], indexes, canonicals };
}

/**
 * The most a statement carries, in estimated bytes of text (UTF-8: at most three a UTF-16 unit).
 * PostgreSQL refuses a jsonb array whose elements pass 256 MB, and an event may hold 1 MB of details
 * and 100,000 characters of search words: 500 such events would not go in one statement.
 */
const MAX_CHUNK_BYTES = 64 * 1024 * 1024;

function rowBytes(row: readonly unknown[]): number {
  let bytes = 16 * row.length;
  for (const value of row) if (typeof value === 'string') bytes += value.length * 3;
  return bytes;
}

/** Rows as one chunk, or several when they pass `maxBytes` (a row bigger than that goes alone). */
export function chunksOf(rows: readonly unknown[][], storedAt: number, maxBytes = MAX_CHUNK_BYTES): AppendChunk[] {
  const chunks: AppendChunk[] = [];
  let from = 0;
  let bytes = 0;
  rows.forEach((row, i) => {
    const size = rowBytes(row);
    if (i > from && bytes + size > maxBytes) {
      chunks.push(chunkOf(rows.slice(from, i), storedAt));
      from = i;
      bytes = 0;
    }
    bytes += size;
  });
  if (from < rows.length || chunks.length === 0) chunks.push(chunkOf(from === 0 ? rows : rows.slice(from), storedAt));
  return chunks;
}

/** APPEND_SQL's parameters for a batch, as append sends them (for the benchmark's raw reference). */
export function toInsertParams(events: readonly AuditEvent[]): unknown[] {
  const rows: unknown[][] = [];
  addRows(rows, events, 0, new BatchDedupe());
  return chunkOf(rows, Date.now()).values;
}
