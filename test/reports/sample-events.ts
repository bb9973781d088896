import type { AuditEvent } from '../../src/domain/audit-event.js';

/** A plausible stored platform event; `n` varies its id, time (n minutes before noon), key and details. */
export function sampleEvent(n: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: `evt-${n}`,
    customerId: '0012345QAB',
    auditTimestamp: new Date(Date.UTC(2026, 9, 1, 12) - n * 60_000).toISOString(),
    eventType: 'update',
    service: 'platform',
    entityType: 'ringgroup',
    entityKey: `rg-${n}`,
    displayName: `Ring group ${n}`,
    auditUserId: 'alice',
    impersonator: null,
    details: { new: { ringTimeout: 30 }, old: { ringTimeout: n } },
    rawDetails: null,
    correlationType: null,
    correlationId: null,
    accessMethod: 'Admin Console',
    region: null,
    source: 'api',
    ...overrides,
  };
}
