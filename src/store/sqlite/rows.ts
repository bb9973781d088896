import { type AuditEvent, AuditEventSchema, type EventSource, entityTypeKey } from '../../domain/audit-event.js';
import { eventFingerprint } from '../../domain/fingerprint.js';
import { fieldWords } from '../../domain/search-words.js';

/** Columns read back into an AuditEvent, in the positional order `rowToEvent` expects. */
export const EVENT_COLUMNS =
  'id, customer_id, ts, event_type, service, entity_type, entity_key, display_name, audit_user_id, impersonator, ' +
  'details, raw_details, correlation_type, correlation_id, access_method, region, source';

export const INSERT_EVENT_SQL =
  'INSERT OR IGNORE INTO events (customer_id, id, ts, event_type, service, entity_type, entity_type_key, entity_key, ' +
  'display_name, audit_user_id, impersonator, details, raw_details, correlation_type, correlation_id, access_method, ' +
  'region, source, fingerprint, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** Indexes one stored event; parameters are picked from an INSERT_EVENT_SQL row by `ftsParams`. */
export const INSERT_FTS_SQL =
  'INSERT INTO events_fts (rowid, display_name, entity_key, entity_type, audit_user_id, impersonator, details) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?)';

/**
 * FTS columns of an INSERT_EVENT_SQL row: each searched field's words (src/domain/search-words.ts),
 * which the table's `ascii` tokenizer keeps as they are; details fall back to the raw text that was
 * not JSON.
 */
export function ftsParams(seq: number | bigint, row: readonly unknown[]): unknown[] {
  const field = (index: number) => row[index] as string | null;
  return [seq, ...fieldWords([field(8), field(7), field(5), field(9), field(10), field(12) ?? field(11)])];
}

/** One row as better-sqlite3 returns it in raw mode for EVENT_COLUMNS. */
export type EventRow = [
  id: string,
  customerId: string,
  ts: number,
  eventType: AuditEvent['eventType'],
  service: string,
  entityType: string,
  entityKey: string,
  displayName: string | null,
  auditUserId: string | null,
  impersonator: string | null,
  details: string | null,
  rawDetails: string | null,
  correlationType: string | null,
  correlationId: string | null,
  accessMethod: string | null,
  region: string | null,
  source: EventSource,
];

/** Positional mapping: raw rows skip building a keyed object per row only to rename its keys. */
export function rowToEvent(row: EventRow): AuditEvent {
  return rowToEventAt(row, 0);
}

/** rowToEvent of the EVENT_COLUMNS that start at `at` in a wider row (a join), without copying it. */
export function rowToEventAt(row: readonly unknown[], at: number): AuditEvent {
  const text = (index: number) => row[at + index] as string | null;
  const details = text(10);
  return {
    id: row[at] as string,
    customerId: row[at + 1] as string,
    auditTimestamp: new Date(row[at + 2] as number).toISOString(),
    eventType: row[at + 3] as AuditEvent['eventType'],
    service: row[at + 4] as string,
    entityType: row[at + 5] as string,
    entityKey: row[at + 6] as string,
    displayName: text(7),
    auditUserId: text(8),
    impersonator: text(9),
    details: details === null ? null : JSON.parse(details),
    rawDetails: text(11),
    correlationType: text(12),
    correlationId: text(13),
    accessMethod: text(14),
    region: text(15),
    source: row[at + 16] as EventSource,
  };
}

/**
 * Text as both stores keep it: a lone surrogate (no UTF-8 can hold one) becomes U+FFFD, as
 * PostgreSQL's rows do (append-rows.ts) — better-sqlite3 would write it as three bytes that read back
 * as three U+FFFD — so the tamper-evident chain hashes exactly what reads back.
 */
function text<T extends string | null>(value: T): T {
  return (value === null || value.isWellFormed() ? value : value.toWellFormed()) as T;
}

/**
 * Validates one event and turns it into INSERT_EVENT_SQL parameters (minus stored_at). Done for the
 * whole batch before the write transaction, so a bad event stores nothing and is named by index.
 */
export function eventToInsertParams(event: AuditEvent, index: number): unknown[] {
  const parsed = AuditEventSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(event)';
    throw new Error(`Event ${index} is invalid: ${field}: ${issue?.message ?? 'invalid'}`);
  }
  let details: string | null;
  let fingerprint: string;
  try {
    details = event.details === null || event.details === undefined ? null : JSON.stringify(event.details);
    fingerprint = eventFingerprint(event);
  } catch (error) {
    throw new Error(`Event ${index} is invalid: details: not serialisable as JSON (${String(error)})`);
  }
  return [
    text(event.customerId),
    text(event.id),
    Date.parse(event.auditTimestamp),
    event.eventType,
    text(event.service),
    text(event.entityType),
    entityTypeKey(event.entityType),
    text(event.entityKey),
    text(event.displayName),
    text(event.auditUserId),
    // An empty impersonator means "nobody": stored as NULL so `impersonated:no` finds it.
    event.impersonator === '' ? null : text(event.impersonator),
    details ?? null,
    text(event.rawDetails),
    text(event.correlationType),
    text(event.correlationId),
    text(event.accessMethod),
    text(event.region),
    event.source,
    fingerprint,
  ];
}

/**
 * The event as it will read back from an eventToInsertParams row (an empty impersonator stored as
 * NULL, details re-read from their JSON text): what the chain hashes at write, equal to what
 * `rowToEvent` returns at verify. `parsedDetails` saves re-parsing the JSON text when the caller holds
 * the value it was written from (a JSON value canonicalises as its JSON text read back does).
 */
export function insertRowToEvent(row: readonly unknown[], parsedDetails?: { value: unknown }): AuditEvent {
  const text = (index: number) => row[index] as string | null;
  const details = text(11);
  return {
    id: row[1] as string,
    customerId: row[0] as string,
    auditTimestamp: new Date(row[2] as number).toISOString(),
    eventType: row[3] as AuditEvent['eventType'],
    service: row[4] as string,
    entityType: row[5] as string,
    entityKey: row[7] as string,
    displayName: text(8),
    auditUserId: text(9),
    impersonator: text(10),
    details: details === null ? null : parsedDetails ? parsedDetails.value : JSON.parse(details),
    rawDetails: text(12),
    correlationType: text(13),
    correlationId: text(14),
    accessMethod: text(15),
    region: text(16),
    source: row[17] as EventSource,
  };
}
