import {
  customerIdOf,
  detailsFromValue,
  fieldProblem,
  finishEvent,
  IMPORT_FIX,
  type Normalized,
  normalizeWith,
  quoteValue,
  regionOf,
  sharedFields,
} from './normalize-fields.js';

export { normalizeApiItem } from './normalize-api.js';
export { normalizeCsvRecord } from './normalize-csv.js';

export type { Normalized } from './normalize-fields.js';

/**
 * One event pushed to `POST /v1/events` (or a line of an NDJSON/JSON import): an object with the
 * AuditEvent field names. `customerId` may be left out; `details` may be a value or JSON text;
 * `auditTimestamp` is ISO 8601 with a zone or epoch milliseconds. Any `source` in the event is ignored.
 */
export function normalizeIngestEvent(
  value: unknown,
  ctx: { customerId: string /** `import` for events read from an NDJSON/JSON file. */; source?: 'ingest' | 'import' },
): Normalized {
  const source = ctx.source ?? 'ingest';
  return normalizeWith(() => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return fieldProblem(`event ${quoteValue(value)} is not a JSON object — send one object per event`);
    }
    const fields = value as Record<string, unknown>;
    return finishEvent({
      ...sharedFields((name) => fields[name], { allowEpochMs: true }),
      customerId: customerIdOf(
        fields.customerId,
        source === 'ingest'
          ? { customerId: ctx.customerId, owner: 'this token' }
          : { customerId: ctx.customerId, owner: 'this import', fix: IMPORT_FIX },
      ),
      ...detailsFromValue(fields.details),
      region: regionOf(fields.region),
      source,
    });
  });
}
