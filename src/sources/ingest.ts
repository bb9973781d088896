import type { AuditEvent } from '../domain/audit-event.js';
import { AuditbotError } from '../errors.js';
import type { EventStore } from '../store/event-store.js';
import { normalizeIngestEvent } from './normalize.js';

export type IngestStatus = 'accepted' | 'duplicate' | 'rejected';

export interface IngestItemResult {
  /** 0-based position in the array, or in the NDJSON lines that were not blank. */
  index: number;
  /** 1-based line of the body (NDJSON only). */
  line?: number;
  status: IngestStatus;
  id?: string;
  error?: string;
}

export interface IngestResult {
  accepted: number;
  duplicate: number;
  rejected: number;
  results: IngestItemResult[];
}

interface RawItem {
  index: number;
  line?: number;
  value?: unknown;
  error?: string;
}

/** Most events one request may carry; larger batches should be split (or use `auditbot import`). */
export const MAX_EVENTS_PER_REQUEST = 10_000;

function parseNdjson(text: string): RawItem[] {
  const items: RawItem[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const index = items.length;
    try {
      items.push({ index, line: i + 1, value: JSON.parse(line) });
    } catch (error) {
      items.push({ index, line: i + 1, error: `line ${i + 1} is not valid JSON: ${(error as Error).message}` });
    }
  });
  return items;
}

/** A JSON array, one JSON object, or NDJSON (one event per line) — by content type, else by content. */
export function parseIngestBody(text: string, contentType: string | undefined): RawItem[] {
  const trimmed = text.trim();
  if (!trimmed)
    throw new AuditbotError('ingest_invalid', 'The request body is empty.', {
      hint: 'Send a JSON array of events or NDJSON.',
    });
  const ndjson = /ndjson|jsonl|json-seq/i.test(contentType ?? '');
  if (!ndjson && (trimmed.startsWith('[') || (trimmed.startsWith('{') && !trimmed.includes('\n')))) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new AuditbotError('ingest_invalid', `The request body is not valid JSON: ${(error as Error).message}`, {
        hint: 'Send a JSON array of events, or NDJSON with Content-Type: application/x-ndjson.',
      });
    }
    const values = Array.isArray(value) ? value : [value];
    return values.map((v, index) => ({ index, value: v }));
  }
  return parseNdjson(trimmed);
}

/** Validates every event, stores the good ones in one all-or-nothing append, and reports each. */
export async function ingestEvents(store: EventStore, items: RawItem[], customerId: string): Promise<IngestResult> {
  if (items.length > MAX_EVENTS_PER_REQUEST) {
    throw new AuditbotError(
      'ingest_invalid',
      `Too many events in one request (${items.length}); the limit is ${MAX_EVENTS_PER_REQUEST}.`,
      {
        hint: 'Split the batch into several requests.',
      },
    );
  }
  const results: IngestItemResult[] = [];
  const valid: { event: AuditEvent; result: IngestItemResult }[] = [];
  for (const item of items) {
    const base = item.line === undefined ? { index: item.index } : { index: item.index, line: item.line };
    if (item.error !== undefined) {
      results.push({ ...base, status: 'rejected', error: item.error });
      continue;
    }
    const normalized = normalizeIngestEvent(item.value, { customerId });
    if (!normalized.ok) {
      results.push({ ...base, status: 'rejected', error: normalized.error });
      continue;
    }
    const result: IngestItemResult = { ...base, status: 'accepted', id: normalized.event.id };
    results.push(result);
    valid.push({ event: normalized.event, result });
  }
  if (valid.length > 0) {
    const appended = await store.append(valid.map((v) => v.event));
    appended.outcomes.forEach((outcome, i) => {
      const entry = valid[i];
      if (entry && outcome === 'duplicate') entry.result.status = 'duplicate';
    });
  }
  const count = (status: IngestStatus) => results.filter((r) => r.status === status).length;
  return { accepted: count('accepted'), duplicate: count('duplicate'), rejected: count('rejected'), results };
}
