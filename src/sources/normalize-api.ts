import {
  customerIdOf,
  type DetailsFields,
  detailsFromText,
  detailsFromValue,
  fieldProblem,
  finishEvent,
  type Normalized,
  normalizeWith,
  quoteValue,
  regionOf,
  sharedFields,
} from './normalize-fields.js';

/** The API sends `details` as JSON text; be ready for an already-parsed object too. Bad JSON is kept raw. */
function apiDetails(value: unknown): DetailsFields {
  if (value !== null && typeof value === 'object') return detailsFromValue(value);
  return detailsFromText(value, { keepInvalid: true });
}

/**
 * One item of the 8x8 Audit Records API (`GET /audits` → `data[]`). Nulls may appear anywhere and
 * extra fields are ignored; only what an event cannot do without is refused.
 */
export function normalizeApiItem(item: unknown, ctx: { customerId: string; region?: string | null }): Normalized {
  return normalizeWith(() => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      return fieldProblem(
        `audit item ${quoteValue(item)} is not an object — expected one item of the API's data array`,
      );
    }
    const fields = item as Record<string, unknown>;
    return finishEvent({
      ...sharedFields((name) => fields[name], { allowEpochMs: true }),
      customerId: customerIdOf(fields.customerId, { customerId: ctx.customerId, owner: 'this tenant' }),
      ...apiDetails(fields.details),
      // A multi-region CC tenant is polled per region; the item itself may not say which.
      region: regionOf(fields.region) ?? regionOf(ctx.region),
      source: 'api',
    });
  });
}
