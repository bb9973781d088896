import { z } from 'zod';

/** Event types the 8x8 Admin Console and Configuration Manager emit (`view` is the API's word for `read`). */
export const EVENT_TYPES = ['create', 'update', 'delete', 'read', 'view', 'export', 'bulk'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Contact-center regions of multi-region tenants. */
export const REGIONS = ['uk-eu', 'us', 'ca', 'apac'] as const;

/** Where an event entered auditbot; used for freshness per source, never exported. */
export const EVENT_SOURCES = ['api', 'import', 'ingest', 'demo', 'auditbot'] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];

/** Largest `details` document accepted, as JSON text. Real details are a few KB. */
export const MAX_DETAILS_BYTES = 1024 * 1024;

const optionalText = z.string().max(1000).nullable();

/**
 * One audit event, as stored and as every layer sees it. Field names and meanings are those of the
 * 8x8 Audit Records API and the Admin Console CSV report (ARCHITECTURE §1).
 */
export const AuditEventSchema = z.object({
  id: z.string().min(1).max(200),
  customerId: z.string().min(1).max(200),
  /** Canonical ISO-8601 UTC instant with milliseconds: `2026-10-01T12:00:00.000Z`. */
  auditTimestamp: z.iso.datetime({ offset: false, precision: 3 }),
  eventType: z.enum(EVENT_TYPES),
  /** `platform` (UC) or `vccss` (Contact Center); lower-case, kept open to other services. */
  service: z.string().min(1).max(100),
  entityType: z.string().min(1).max(200),
  entityKey: z.string().max(1000),
  displayName: optionalText,
  auditUserId: optionalText,
  impersonator: optionalText,
  /** Parsed `details` JSON; null when absent or when the source text was not JSON (see rawDetails). */
  details: z.unknown(),
  /** The source's `details` text when it was not valid JSON (8x8 API sync keeps it rather than dropping the event). */
  rawDetails: z.string().nullable(),
  correlationType: optionalText,
  correlationId: optionalText,
  accessMethod: optionalText,
  region: z.string().max(50).nullable(),
  source: z.enum(EVENT_SOURCES),
});

export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** The identity of a configured thing across events: what final-state-only events are diffed within. */
export interface EntityRef {
  customerId: string;
  service: string;
  entityType: string;
  entityKey: string;
}

/** Entity types vary in case and separators between sources (`RingGroup`, `ringgroup`, `ring_group`). */
export function entityTypeKey(entityType: string): string {
  return entityType.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function isKnownEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** `details` as the JSON text a report or the API carries. */
export function detailsText(event: Pick<AuditEvent, 'details' | 'rawDetails'>): string {
  if (event.rawDetails !== null) return event.rawDetails;
  if (event.details === null || event.details === undefined) return '';
  return JSON.stringify(event.details);
}

/** Milliseconds since the epoch of an event's timestamp. */
export function eventTime(event: Pick<AuditEvent, 'auditTimestamp'>): number {
  return Date.parse(event.auditTimestamp);
}
