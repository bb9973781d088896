import { describe, expect, it } from 'vitest';
import { canonicalColumn, mapHeader, neutraliseCell, restoreCell } from '../../src/sources/csv-columns.js';

describe('canonicalColumn', () => {
  it.each([
    ['displayName', 'displayName'],
    ['\uFEFFdisplayName', 'displayName'],
    ['cusytomerID', 'customerId'],
    ['customerID', 'customerId'],
    ['Customer ID', 'customerId'],
    ['correlationID', 'correlationId'],
    ['audit timestamp', 'auditTimestamp'],
    ['AUDIT_TIMESTAMP', 'auditTimestamp'],
    ['entity_type', 'entityType'],
    [' Entity-Key ', 'entityKey'],
    ['id', 'id'],
  ])('matches %j to %s', (header, column) => {
    expect(canonicalColumn(header)).toBe(column);
  });

  it('ignores columns it does not know', () => {
    expect(canonicalColumn('Exported by')).toBeNull();
  });
});

describe('mapHeader', () => {
  it('maps positions to columns and lists the required ones that are missing', () => {
    const mapping = mapHeader(['Display Name', 'audit timestamp', 'notes', 'eventType']);
    expect(mapping.columns).toEqual(['displayName', 'auditTimestamp', null, 'eventType']);
    expect(mapping.missing).toEqual(['entityType', 'entityKey']);
  });

  it('keeps the first of two headers that mean the same column', () => {
    expect(mapHeader(['customerId', 'cusytomerID']).columns).toEqual(['customerId', null]);
  });
});

describe('formula neutralisation', () => {
  it.each(['=1+2', '+15551234567', '-5', '@SUM(A1)', '\tx', '\rx'])('neutralises %j and restores it', (value) => {
    expect(neutraliseCell(value)).toBe(`'${value}`);
    expect(restoreCell(neutraliseCell(value))).toBe(value);
  });

  it('leaves ordinary text alone, and a leading quote that guards nothing', () => {
    expect(neutraliseCell('Sales')).toBe('Sales');
    expect(neutraliseCell("'quoted")).toBe("'quoted");
    expect(restoreCell("'quoted")).toBe("'quoted");
  });

  it("round-trips a value that already starts with ' before a formula character", () => {
    expect(neutraliseCell("'=x")).toBe("''=x");
    expect(restoreCell(neutraliseCell("'=x"))).toBe("'=x");
  });
});
