import { createHash } from 'node:crypto';
import { type AuditEvent, entityTypeKey } from './audit-event.js';

/** JSON with object keys sorted, so equal documents give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

type FingerprintFields = Pick<
  AuditEvent,
  'customerId' | 'auditTimestamp' | 'eventType' | 'entityType' | 'entityKey' | 'auditUserId' | 'details' | 'rawDetails'
>;

/**
 * Content identity of an event. The same change can arrive by two roads (a CSV report today, which
 * carries no id, and the API tomorrow); this recognises it so it is stored once (ARCHITECTURE §6).
 */
export function eventFingerprint(event: FingerprintFields): string {
  const parts = [
    event.customerId,
    new Date(event.auditTimestamp).toISOString(),
    event.eventType === 'view' ? 'read' : event.eventType,
    entityTypeKey(event.entityType),
    event.entityKey,
    event.auditUserId ?? '',
    event.rawDetails ?? canonicalJson(event.details ?? null),
  ];
  return createHash('sha256').update(parts.join('\u001f')).digest('hex');
}

/** A deterministic id for rows that carry none (Admin Console CSV reports). */
export function derivedEventId(event: FingerprintFields): string {
  return `fp-${eventFingerprint(event).slice(0, 32)}`;
}
