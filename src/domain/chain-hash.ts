import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { type AuditEvent, AuditEventSchema } from './audit-event.js';

/**
 * The tamper-evident chain (README "Evidence"). Every stored event of a tenant takes the next
 * position of the tenant's chain and
 *
 *   hash(n) = SHA-256( hash(n-1) as 64 lower-case hex characters ‖ canonical form of event n )
 *
 * as lower-case hex, with hash(0) = GENESIS_HASH. The canonical form is RFC 8785 (JSON
 * Canonicalization Scheme, via the `canonicalize` library) of the event's stored fields — the
 * AuditEvent as every read returns it: id, customerId, auditTimestamp (ISO, milliseconds), eventType,
 * service, entityType, entityKey, displayName, auditUserId, impersonator, details (the parsed JSON),
 * rawDetails, correlationType, correlationId, accessMethod, region, source. Hex text rather than raw
 * bytes so anyone can recompute a link with `printf '%s%s' "$previous" "$canonical" | sha256sum`.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** Every stored field of an event: the schema's, so a field added there is hashed too. */
const HASHED_FIELDS = Object.keys(AuditEventSchema.shape) as (keyof AuditEvent)[];

/** Whether any text inside holds a lone surrogate (checked without copying: most events hold none). */
function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return !value.isWellFormed();
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasLoneSurrogate);
  for (const key in value) {
    if (!key.isWellFormed() || hasLoneSurrogate((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/** Text no UTF-8 store can hold (a lone surrogate) is stored as U+FFFD; the chain hashes what is stored. */
function wellFormed(value: unknown): unknown {
  if (!hasLoneSurrogate(value)) return value;
  if (typeof value === 'string') return value.isWellFormed() ? value : value.toWellFormed();
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(wellFormed);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key.toWellFormed()] = wellFormed(inner);
  return out;
}

/** RFC 8785 text of an event's stored fields. */
export function canonicalEvent(event: AuditEvent): string {
  const fields: Record<string, unknown> = {};
  for (const name of HASHED_FIELDS) {
    const value = event[name];
    fields[name] = name === 'details' ? wellFormed(value ?? null) : wellFormed(value);
  }
  const text = canonicalize(fields);
  if (text === undefined) throw new Error('An event has no canonical form');
  return text;
}

/** The link after `previous` (hex) for an event's canonical text. */
export function chainHash(previous: string, canonical: string): string {
  return hash('sha256', previous + canonical, 'hex');
}

/** The hash an event takes at the position after `previous`. */
export function eventChainHash(previous: string, event: AuditEvent): string {
  return chainHash(previous, canonicalEvent(event));
}
