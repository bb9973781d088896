import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import { eventFingerprint } from '../../src/domain/fingerprint.js';

const base: AuditEvent = {
  id: 'e-1',
  customerId: 'c-1',
  auditTimestamp: '2026-11-01T10:00:00.000Z',
  eventType: 'update',
  service: 'platform',
  entityType: 'RingGroup',
  entityKey: 'rg-1',
  displayName: 'Sales',
  auditUserId: 'alice',
  impersonator: null,
  details: { b: 2, a: 1 },
  rawDetails: null,
  correlationType: null,
  correlationId: null,
  accessMethod: null,
  region: null,
  source: 'import',
};

describe('event fingerprint', () => {
  it('stays what stored events were given: the fields joined by U+001F, details with sorted keys', () => {
    const joined = ['c-1', '2026-11-01T10:00:00.000Z', 'update', 'ringgroup', 'rg-1', 'alice', '{"a":1,"b":2}'];
    expect(eventFingerprint(base)).toBe(hash('sha256', joined.join('\u001f'), 'hex'));
  });

  it('tells apart events whose fields only join alike because one holds U+001F', () => {
    const a: AuditEvent = { ...base, entityKey: 'rg-1\u001falice', auditUserId: null };
    const b = { ...base, entityKey: 'rg-1', auditUserId: 'alice\u001f' };
    expect(eventFingerprint(a)).not.toBe(eventFingerprint(b));
    expect(eventFingerprint({ ...a, displayName: 'Renamed' } as AuditEvent)).toBe(eventFingerprint(a));
  });
});
