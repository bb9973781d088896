import { parseISO } from 'date-fns';
import type { z } from 'zod';
import {
  type AuditEvent,
  AuditEventSchema,
  EVENT_TYPES,
  isKnownEventType,
  MAX_DETAILS_BYTES,
} from '../domain/audit-event.js';
import { derivedEventId } from '../domain/fingerprint.js';

/** What every source's normaliser returns: an event ready to store, or one sentence saying what to fix. */
export type Normalized = { ok: true; event: AuditEvent } | { ok: false; error: string };

/** A field that cannot become part of an event; caught by `normalizeWith` and turned into `{ ok: false }`. */
class FieldProblem extends Error {}

export function fieldProblem(message: string): never {
  throw new FieldProblem(message);
}

/** Runs a normaliser body; a field problem becomes `{ ok: false }`, anything else is a bug and propagates. */
export function normalizeWith(build: () => AuditEvent): Normalized {
  try {
    return { ok: true, event: build() };
  } catch (error) {
    if (error instanceof FieldProblem) return { ok: false, error: error.message };
    throw error;
  }
}

/** A value quoted for an error message, cut short so a 10 MB cell cannot flood a reply. */
export function quoteValue(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(shown);
}

function checkUtf8(field: string, text: string): string {
  if (text.includes('\uFFFD')) {
    fieldProblem(`${field} ${quoteValue(text)} contains bytes that are not valid UTF-8 — save the file as UTF-8`);
  }
  // PostgreSQL text cannot hold NUL: refused on every road and store alike, never half-stored.
  if (text.includes('\u0000')) {
    fieldProblem(`${field} ${quoteValue(text)} contains a NUL character (\\u0000), which no store keeps — remove it`);
  }
  return text;
}

/** Trimmed text; null for absent or blank. Numbers and booleans are accepted as their text (API leniency). */
export function optionalText(field: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') fieldProblem(`${field} should be text, not ${quoteValue(value)}`);
  const text = checkUtf8(field, value.trim());
  return text === '' ? null : text;
}

export function requiredText(field: string, value: unknown): string {
  const text = optionalText(field, value);
  if (text === null) fieldProblem(`${field} is empty — every event needs one`);
  return text;
}

export function eventTypeOf(value: unknown): AuditEvent['eventType'] {
  const text = requiredText('eventType', value).toLowerCase();
  if (!isKnownEventType(text)) {
    fieldProblem(`eventType ${quoteValue(text)} is not one of ${EVENT_TYPES.join(', ')} — use one of these`);
  }
  return text;
}

/** `VCCSS` → `vccss`. The Admin Console report's default service is `platform` when the column is absent. */
export function serviceOf(value: unknown): string {
  return (optionalText('service', value) ?? 'platform').toLowerCase();
}

export function regionOf(value: unknown): string | null {
  return optionalText('region', value)?.toLowerCase() ?? null;
}

const ISO_DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/** The canonical instant (`toISOString()`) of an ISO 8601 text that carries a zone, or of epoch milliseconds. */
export function timestampOf(value: unknown, options: { allowEpochMs: boolean }): string {
  if (typeof value === 'number' && options.allowEpochMs) {
    const date = new Date(value);
    if (!Number.isFinite(value) || Number.isNaN(date.getTime())) {
      fieldProblem(`auditTimestamp ${value} is not a valid epoch-milliseconds number`);
    }
    return date.toISOString();
  }
  const text = requiredText('auditTimestamp', value);
  const match = ISO_DATE_TIME.exec(text);
  if (!match) {
    fieldProblem(
      `auditTimestamp ${quoteValue(text)} is not an ISO 8601 date-time — write it like 2026-10-01T12:00:00Z`,
    );
  }
  const [, date, time, zone] = match;
  if (zone === undefined) fieldProblem(`timestamp ${text} has no time zone; add Z for UTC`);
  const offset = /^(Z|UTC|GMT)$/i.test(zone) ? 'Z' : zone;
  const parsed = parseISO(`${date}T${time?.replace(',', '.')}${offset}`);
  if (Number.isNaN(parsed.getTime())) {
    fieldProblem(`auditTimestamp ${quoteValue(text)} is not a real date and time — check the day, month and hour`);
  }
  return parsed.toISOString();
}

function checkDetailsSize(bytes: number): void {
  if (bytes <= MAX_DETAILS_BYTES) return;
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  // Just over the limit both round to "1.0 MB"; then bytes say it better.
  const [size, limit] =
    mb(bytes) === mb(MAX_DETAILS_BYTES)
      ? [`${bytes} bytes`, `${MAX_DETAILS_BYTES} bytes`]
      : [mb(bytes), mb(MAX_DETAILS_BYTES)];
  fieldProblem(`details is ${size}; the limit is ${limit} — shorten it or leave it out`);
}

export type DetailsFields = Pick<AuditEvent, 'details' | 'rawDetails'>;

/**
 * `details` from its JSON text. Invalid JSON is kept verbatim as `rawDetails` when `keepInvalid`
 * (the API: never lose an event over it), else refused (a file the user can fix).
 */
/**
 * Real details nest a few levels (`new` → a setting → a list); thousands of levels are an attack
 * that would overflow every recursive reader after the parser (diffs, fingerprints, renderers).
 */
export const MAX_DETAILS_DEPTH = 64;

/** Whether a JSON value nests deeper than `max` arrays or objects; iterative, so any depth is safe. */
function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

function checkDetailsDepth(details: unknown): void {
  if (nestsDeeperThan(details, MAX_DETAILS_DEPTH)) {
    fieldProblem(`details nest more than ${MAX_DETAILS_DEPTH} levels deep — flatten them`);
  }
}

export function detailsFromText(value: unknown, options: { keepInvalid: boolean }): DetailsFields {
  if (typeof value === 'string') checkDetailsSize(Buffer.byteLength(value, 'utf8'));
  const text = optionalText('details', value);
  if (text === null) return { details: null, rawDetails: null };
  let details: unknown;
  try {
    details = JSON.parse(text) as unknown;
  } catch (error) {
    if (options.keepInvalid) return { details: null, rawDetails: text };
    const reason = error instanceof Error ? error.message : String(error);
    return fieldProblem(
      `details ${quoteValue(text)} is not valid JSON (${reason}) — fix the JSON or leave the details empty`,
    );
  }
  checkDetailsDepth(details);
  return { details, rawDetails: null };
}

/** `details` given as a JSON value (ingest) or as JSON text. */
export function detailsFromValue(value: unknown): DetailsFields {
  if (value === null || value === undefined || typeof value === 'string') {
    return detailsFromText(value, { keepInvalid: false });
  }
  // Before JSON.stringify, which recurses.
  checkDetailsDepth(value);
  const text = JSON.stringify(value);
  checkDetailsSize(Buffer.byteLength(text, 'utf8'));
  if (text.includes('\uFFFD')) checkUtf8('details', text);
  return { details: value, rawDetails: null };
}

/** What to do about a file row of another tenant. */
export const IMPORT_FIX = 'import the file for that customer instead';

/** customerId of the event, or the tenant's when the source left it empty; another tenant's is refused. */
export function customerIdOf(value: unknown, ctx: { customerId: string; owner: string; fix?: string }): string {
  const customerId = optionalText('customerId', value) ?? ctx.customerId;
  if (customerId !== ctx.customerId) {
    const fix = ctx.fix === undefined ? '' : ` — ${ctx.fix}`;
    fieldProblem(`event is for customer ${customerId}; ${ctx.owner} is for ${ctx.customerId}${fix}`);
  }
  return customerId;
}

function issueSentence(issue: z.core.$ZodIssue, draft: Record<string, unknown>): string {
  const field = issue.path.map(String).join('.') || 'event';
  const value = issue.path.length === 1 ? draft[String(issue.path[0])] : undefined;
  const shown = value === undefined ? '' : ` ${quoteValue(value)}`;
  return `${field}${shown} is invalid: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
}

export type EventDraft = Omit<AuditEvent, 'id'> & { id: string | null };

/**
 * The fields every road maps the same way (API item, CSV row, ingest object), read through `field`.
 * Callers add what differs: customerId's owner, how details arrive, region and source.
 */
export function sharedFields(field: (name: string) => unknown, options: { allowEpochMs: boolean }) {
  return {
    id: optionalText('id', field('id')),
    auditTimestamp: timestampOf(field('auditTimestamp'), options),
    eventType: eventTypeOf(field('eventType')),
    service: serviceOf(field('service')),
    entityType: requiredText('entityType', field('entityType')),
    entityKey: optionalText('entityKey', field('entityKey')) ?? '',
    displayName: optionalText('displayName', field('displayName')),
    auditUserId: optionalText('auditUserId', field('auditUserId')),
    impersonator: optionalText('impersonator', field('impersonator')),
    correlationType: optionalText('correlationType', field('correlationType')),
    correlationId: optionalText('correlationId', field('correlationId')),
    accessMethod: optionalText('accessMethod', field('accessMethod')),
  };
}

/** Gives a row without an id its deterministic id and checks the whole event against the schema. */
export function finishEvent(draft: EventDraft): AuditEvent {
  const candidate = { ...draft, id: draft.id ?? derivedEventId(draft) };
  const parsed = AuditEventSchema.safeParse(candidate);
  if (!parsed.success) {
    fieldProblem(parsed.error.issues.map((issue) => issueSentence(issue, candidate)).join('; '));
  }
  return parsed.data;
}
