import { describe, expect, it } from 'vitest';
import { MAX_DETAILS_BYTES } from '../../src/domain/audit-event.js';
import { derivedEventId } from '../../src/domain/fingerprint.js';
import {
  type Normalized,
  normalizeApiItem,
  normalizeCsvRecord,
  normalizeIngestEvent,
} from '../../src/sources/normalize.js';

const tenant = { customerId: '0012345QAB' };

function event(result: Normalized) {
  if (!result.ok) throw new Error(`expected an event, got: ${result.error}`);
  return result.event;
}

function problem(result: Normalized): string {
  if (result.ok) throw new Error(`expected an error, got event ${result.event.id}`);
  return result.error;
}

const apiItem = {
  id: '012345677-89abb-cdef-0123-456789abcdef',
  customerId: '0012345QAB',
  service: 'platform',
  displayName: ' Remaxed ring group ',
  auditTimestamp: '2026-09-30T18:44:14.804646727Z',
  eventType: 'update',
  correlationType: null,
  correlationId: null,
  entityType: 'ringgroup',
  entityKey: 'abc1234567AB',
  auditUserId: 'HTbnKjGVQfK7X05JVOj_IF',
  impersonator: null,
  details: '{"new":{"name":"Remaxed ring group"},"old":{"name":"Ring group"}}',
};

describe('normalizeApiItem', () => {
  it('turns an Audit Records API item into a stored event', () => {
    const result = event(normalizeApiItem({ ...apiItem, somethingNew: 42 }, tenant));
    expect(result).toEqual({
      id: apiItem.id,
      customerId: '0012345QAB',
      auditTimestamp: '2026-09-30T18:44:14.804Z',
      eventType: 'update',
      service: 'platform',
      entityType: 'ringgroup',
      entityKey: 'abc1234567AB',
      displayName: 'Remaxed ring group',
      auditUserId: 'HTbnKjGVQfK7X05JVOj_IF',
      impersonator: null,
      details: { new: { name: 'Remaxed ring group' }, old: { name: 'Ring group' } },
      rawDetails: null,
      correlationType: null,
      correlationId: null,
      accessMethod: null,
      region: null,
      source: 'api',
    });
  });

  it('keeps details that are not JSON as raw text instead of dropping the event', () => {
    const result = event(normalizeApiItem({ ...apiItem, details: '{new: broken' }, tenant));
    expect(result.details).toBeNull();
    expect(result.rawDetails).toBe('{new: broken');
  });

  it('accepts flat details, null fields, an empty customerId and the polled region', () => {
    const result = event(
      normalizeApiItem(
        {
          ...apiItem,
          customerId: '',
          service: 'VCCSS',
          details: '{"name":"Queue"}',
          displayName: null,
          entityKey: null,
        },
        { customerId: '0012345QAB', region: 'UK-EU' },
      ),
    );
    expect(result).toMatchObject({ customerId: '0012345QAB', service: 'vccss', region: 'uk-eu', entityKey: '' });
    expect(result.details).toEqual({ name: 'Queue' });
    expect(result.displayName).toBeNull();
  });

  it('derives an id when the item has none', () => {
    const result = event(normalizeApiItem({ ...apiItem, id: null }, tenant));
    expect(result.id).toBe(derivedEventId(result));
  });

  it('refuses something that is not an item, and an item of another tenant', () => {
    expect(problem(normalizeApiItem('hello', tenant))).toMatch(/not an object/);
    expect(problem(normalizeApiItem({ ...apiItem, customerId: 'OTHER' }, tenant))).toBe(
      'event is for customer OTHER; this tenant is for 0012345QAB',
    );
  });
});

const csvRecord = {
  displayName: 'Sales',
  customerId: '',
  auditTimestamp: '2026-10-01T12:00:00+02:00',
  eventType: 'Delete',
  service: 'platform',
  entityKey: 'rg-1',
  entityType: 'RingGroup',
  auditUserId: 'alice',
  impersonator: '',
  details: '{"new":{},"old":{"name":"Sales"}}',
  correlationType: '',
  correlationId: '',
  accessMethod: 'Admin Console',
  region: '',
};

describe('normalizeCsvRecord', () => {
  const ctx = { customerId: '0012345QAB', line: 2 };

  it('reads a report row: empty cells → null, zone-aware timestamp → UTC, derived id, source import', () => {
    const result = event(normalizeCsvRecord(csvRecord, ctx));
    expect(result).toMatchObject({
      customerId: '0012345QAB',
      auditTimestamp: '2026-10-01T10:00:00.000Z',
      eventType: 'delete',
      impersonator: null,
      region: null,
      source: 'import',
      details: { new: {}, old: { name: 'Sales' } },
    });
    expect(result.id).toBe(derivedEventId(result));
  });

  it('uses an id column when the file has one', () => {
    expect(event(normalizeCsvRecord({ ...csvRecord, id: 'evt-7' }, ctx)).id).toBe('evt-7');
  });

  it("removes the ' a report writer put before formula-like cells", () => {
    const result = event(
      normalizeCsvRecord({ ...csvRecord, displayName: "'=SUM(A1)", entityKey: "'+4420123", details: "'-5" }, ctx),
    );
    expect(result.displayName).toBe('=SUM(A1)');
    expect(result.entityKey).toBe('+4420123');
    expect(result.details).toBe(-5);
  });

  it('refuses details that are not JSON, naming the field, the value and the fix', () => {
    const error = problem(normalizeCsvRecord({ ...csvRecord, details: '{new: 1}' }, ctx));
    expect(error).toMatch(/^details "\{new: 1\}" is not valid JSON \(.+\) — fix the JSON or leave the details empty$/);
  });

  it('refuses a timestamp without a time zone', () => {
    const error = problem(normalizeCsvRecord({ ...csvRecord, auditTimestamp: '2026-10-01 12:00:00' }, ctx));
    expect(error).toBe('timestamp 2026-10-01 12:00:00 has no time zone; add Z for UTC');
  });

  it('refuses dates that do not exist and text that is no date', () => {
    expect(problem(normalizeCsvRecord({ ...csvRecord, auditTimestamp: '2026-02-30T10:00:00Z' }, ctx))).toMatch(
      /not a real date/,
    );
    expect(problem(normalizeCsvRecord({ ...csvRecord, auditTimestamp: 'yesterday' }, ctx))).toMatch(
      /"yesterday" is not an ISO 8601 date-time — write it like 2026-10-01T12:00:00Z/,
    );
  });

  it('refuses text that was decoded from invalid UTF-8', () => {
    const error = problem(normalizeCsvRecord({ ...csvRecord, displayName: 'Bj\uFFFDrn' }, ctx));
    expect(error).toMatch(
      /^displayName "Bj\uFFFDrn" contains bytes that are not valid UTF-8 — save the file as UTF-8$/,
    );
  });
});

describe('normalizeIngestEvent', () => {
  const pushed = {
    id: 'evt-1',
    auditTimestamp: 1790856000000,
    eventType: 'VIEW',
    service: 'auditbot',
    entityType: 'report',
    entityKey: 'r-1',
    details: { query: 'op:delete' },
    source: 'api',
  };

  it('accepts epoch milliseconds, an object as details and no customerId', () => {
    const result = event(normalizeIngestEvent(pushed, tenant));
    expect(result).toMatchObject({
      customerId: '0012345QAB',
      auditTimestamp: '2026-10-01T12:00:00.000Z',
      eventType: 'view',
      details: { query: 'op:delete' },
      source: 'ingest',
    });
  });

  it('accepts details as JSON text and refuses it when it is not JSON', () => {
    expect(event(normalizeIngestEvent({ ...pushed, details: '{"a":1}' }, tenant)).details).toEqual({ a: 1 });
    expect(problem(normalizeIngestEvent({ ...pushed, details: '{a:1}' }, tenant))).toMatch(
      /details .* is not valid JSON/,
    );
  });

  it('refuses an event of another tenant, saying whose it is and whose the token is', () => {
    const error = problem(normalizeIngestEvent({ ...pushed, customerId: 'ACME' }, tenant));
    expect(error).toBe('event is for customer ACME; this token is for 0012345QAB');
  });

  it('refuses an unknown event type, listing the known ones', () => {
    const error = problem(normalizeIngestEvent({ ...pushed, eventType: 'rename' }, tenant));
    expect(error).toBe(
      'eventType "rename" is not one of create, update, delete, read, view, export, bulk — use one of these',
    );
  });

  it('refuses details over the size limit, with the size and the limit', () => {
    const details = { blob: 'x'.repeat(MAX_DETAILS_BYTES) }; // {"blob":"…"} adds 11 bytes
    expect(problem(normalizeIngestEvent({ ...pushed, details }, tenant))).toBe(
      `details is ${MAX_DETAILS_BYTES + 11} bytes; the limit is ${MAX_DETAILS_BYTES} bytes — shorten it or leave it out`,
    );
    const text = JSON.stringify({ blob: 'y'.repeat(3 * MAX_DETAILS_BYTES) });
    expect(problem(normalizeIngestEvent({ ...pushed, details: text }, tenant))).toBe(
      'details is 3.0 MB; the limit is 1.0 MB — shorten it or leave it out',
    );
  });

  it('turns schema problems into one readable sentence with the field and value', () => {
    const error = problem(normalizeIngestEvent({ ...pushed, displayName: 'n'.repeat(1001) }, tenant));
    expect(error).toMatch(/^displayName "n{60}…" is invalid: too big/);
  });

  it('refuses a missing entity type and a value that is not an object', () => {
    expect(problem(normalizeIngestEvent({ ...pushed, entityType: '  ' }, tenant))).toBe(
      'entityType is empty — every event needs one',
    );
    expect(problem(normalizeIngestEvent([pushed], tenant))).toMatch(/is not a JSON object/);
  });
});
