import type { ValueFilter } from './audit-query.js';

/** Half-open UTC interval [start, end) in epoch milliseconds. */
export interface TimeRange {
  start: number;
  end: number;
}

/**
 * A query resolved against a tenant and a clock: what an `EventStore` executes. All string
 * comparisons are exact except `entityTypes` (compared as `entityTypeKey`) and `text` (full-text).
 */
export interface EventFilter {
  customerId: string;
  range: TimeRange;
  eventTypes?: ValueFilter;
  services?: ValueFilter;
  /** Normalised with `entityTypeKey`. */
  entityTypes?: ValueFilter;
  regions?: ValueFilter;
  entityKeys?: ValueFilter;
  /** Actor ids (`auditUserId`), names already resolved to ids. */
  actors?: ValueFilter;
  accessMethods?: ValueFilter;
  correlationIds?: ValueFilter;
  impersonated?: boolean;
  /** Free-text terms, all of which must occur (displayName, entityKey, details, actor…). */
  text?: string[];
}
