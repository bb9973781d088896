import { type AuditEvent, entityTypeKey } from '../../src/domain/audit-event.js';
import type { ValueFilter } from '../../src/domain/audit-query.js';
import type { EventFilter } from '../../src/domain/event-filter.js';

export const TENANT = 'cust-acme';
export const OTHER_TENANT = 'cust-globex';

/** 2026-10-01T12:00:00.000Z: fixtures count minutes from here. */
export const BASE_TIME = Date.UTC(2026, 9, 1, 12, 0, 0);

export function isoAt(minutesAfterBase: number): string {
  return new Date(BASE_TIME + minutesAfterBase * 60_000).toISOString();
}

let sequence = 0;

/** A valid platform `update` of a ring group by alice; override whatever the test is about. */
export function auditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  sequence += 1;
  return {
    id: `evt-${String(sequence).padStart(6, '0')}`,
    customerId: TENANT,
    auditTimestamp: isoAt(sequence),
    eventType: 'update',
    service: 'platform',
    entityType: 'RingGroup',
    entityKey: `rg-${sequence}`,
    displayName: 'Sales Ring Group',
    auditUserId: 'alice',
    impersonator: null,
    details: { new: { name: 'Sales', members: [sequence] }, old: { name: 'Sales', members: [] } },
    rawDetails: null,
    correlationType: null,
    correlationId: null,
    accessMethod: 'admin-console',
    region: null,
    source: 'import',
    ...overrides,
  };
}

/** A filter matching every event of the tenant in the fixtures' era. */
export function wideFilter(overrides: Partial<EventFilter> = {}): EventFilter {
  return {
    customerId: TENANT,
    range: { start: BASE_TIME - 365 * 86_400_000, end: BASE_TIME + 365 * 86_400_000 },
    ...overrides,
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so "property-style" tests replay exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENTITY_TYPES = ['User', 'RingGroup', 'ringgroup', 'Extension', 'AgentGroup', 'Queue'];
const EVENT_TYPES = ['create', 'update', 'delete', 'view', 'bulk'] as const;
const ACTORS = ['alice', 'bob', 'carol', 'dave', null];

/** Many varied events with deliberately repeated timestamps (ties broken by id). */
export function manyEvents(count: number, seed: number, customerId = TENANT): AuditEvent[] {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  return Array.from({ length: count }, (_, index) =>
    auditEvent({
      id: `${customerId}-${seed}-${index}`,
      customerId,
      auditTimestamp: isoAt(Math.floor(random() * 20)),
      eventType: pick(EVENT_TYPES),
      service: pick(['platform', 'vccss']),
      entityType: pick(ENTITY_TYPES),
      entityKey: `key-${Math.floor(random() * 30)}`,
      auditUserId: pick(ACTORS),
      impersonator: random() < 0.2 ? 'support-1' : null,
      region: pick(['us', 'uk-eu', null]),
      accessMethod: pick(['admin-console', 'api', null]),
      correlationId: pick(['corr-1', 'corr-2', null]),
      details: { index, seed },
    }),
  );
}

function valueMatches(value: string | null, filter: ValueFilter | undefined, normalise = (v: string) => v): boolean {
  if (!filter) return true;
  const key = value === null ? null : normalise(value);
  if (filter.include.length > 0 && (key === null || !filter.include.map(normalise).includes(key))) return false;
  return key === null || !filter.exclude.map(normalise).includes(key);
}

/** Reference semantics of EventFilter (all but `text`), to check a store against. */
export function matchesFilter(event: AuditEvent, filter: EventFilter): boolean {
  const ts = Date.parse(event.auditTimestamp);
  return (
    event.customerId === filter.customerId &&
    ts >= filter.range.start &&
    ts < filter.range.end &&
    valueMatches(event.eventType, filter.eventTypes) &&
    valueMatches(event.service, filter.services) &&
    valueMatches(event.entityType, filter.entityTypes, entityTypeKey) &&
    valueMatches(event.region, filter.regions) &&
    valueMatches(event.entityKey, filter.entityKeys) &&
    valueMatches(event.auditUserId, filter.actors) &&
    valueMatches(event.accessMethod, filter.accessMethods) &&
    valueMatches(event.correlationId, filter.correlationIds) &&
    (filter.impersonated === undefined || filter.impersonated === (event.impersonator !== null))
  );
}

/** Newest first, ties broken by id descending: the order every store returns. */
export function newestFirst(a: AuditEvent, b: AuditEvent): number {
  const byTime = Date.parse(b.auditTimestamp) - Date.parse(a.auditTimestamp);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
