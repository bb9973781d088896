import { hash } from 'node:crypto';
import { type AuditEvent, entityTypeKey } from './audit-event.js';

/**
 * JSON with object keys sorted, so equal documents give equal text whatever their key order.
 * On the import hot path: plain loops, and no sort when the keys are already in order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
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
    // Canonical instants already (AuditEventSchema); re-formatting only what is not.
    event.auditTimestamp.length === 24 && event.auditTimestamp.endsWith('Z')
      ? event.auditTimestamp
      : new Date(event.auditTimestamp).toISOString(),
    event.eventType === 'view' ? 'read' : event.eventType,
    entityTypeKey(event.entityType),
    event.entityKey,
    event.auditUserId ?? '',
    event.rawDetails ?? canonicalJson(event.details ?? null),
  ];
  // Fields joined by U+001F, as stored fingerprints were made. A field holding U+001F itself could
  // make two different events' joins equal ('a\u001fb' + '' against 'a' + 'b\u001f'): only such
  // events hash their fields as a JSON array instead, which never equals a join (a join holds raw
  // U+001F, JSON escapes it), so every other fingerprint stays as stored.
  const separated = parts.some((part) => part.includes('\u001f'));
  return hash('sha256', separated ? JSON.stringify(parts) : parts.join('\u001f'), 'hex');
}

/** A deterministic id for rows that carry none (Admin Console CSV reports). */
export function derivedEventId(event: FingerprintFields): string {
  return `fp-${eventFingerprint(event).slice(0, 32)}`;
}
