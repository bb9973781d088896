import { describe, expect, it } from 'vitest';
import type { AuditQuery, ParseResult, QueryError } from '../../src/domain/audit-query.js';
import { parseQuery } from '../../src/domain/query-language.js';

function parsed(text: string): AuditQuery {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(`expected "${text}" to parse, got ${JSON.stringify(result.errors)}`);
  return result.query;
}

function errorsOf(text: string): QueryError[] {
  const result: ParseResult = parseQuery(text);
  if (result.ok) throw new Error(`expected "${text}" to fail, got ${JSON.stringify(result.query)}`);
  return result.errors;
}

function onlyError(text: string): QueryError {
  const errors = errorsOf(text);
  expect(errors).toHaveLength(1);
  return errors[0] as QueryError;
}

const inc = (...include: string[]) => ({ include, exclude: [] });

describe('parseQuery: qualifiers and free text', () => {
  it.each<[string, AuditQuery]>([
    ['', { filters: {}, text: [] }],
    ['   \t ', { filters: {}, text: [] }],
    ['op:delete', { filters: { op: inc('delete') }, text: [] }],
    ['OP:Delete,BULK', { filters: { op: inc('delete', 'bulk') }, text: [] }],
    ['op:view', { filters: { op: inc('view') }, text: [] }],
    ['-op:read', { filters: { op: { include: [], exclude: ['read'] } }, text: [] }],
    ['who:"Alice Martin"', { filters: { who: inc('Alice Martin') }, text: [] }],
    ['who:Alice" Martin"', { filters: { who: inc('Alice Martin') }, text: [] }],
    ['who:"say \\"hi\\" \\\\ ok"', { filters: { who: inc('say "hi" \\ ok') }, text: [] }],
    ['who:a\\b', { filters: { who: inc('a\\b') }, text: [] }],
    ['who:"a,b",c', { filters: { who: inc('a,b', 'c') }, text: [] }],
    [
      'entity:RingGroup key:AbC-1 via:API corr:Xy9',
      {
        filters: { entity: inc('RingGroup'), key: inc('AbC-1'), via: inc('API'), corr: inc('Xy9') },
        text: [],
      },
    ],
    ['key:urn:x:1', { filters: { key: inc('urn:x:1') }, text: [] }],
    ['app:platform app:CC', { filters: { app: inc('platform', 'cc') }, text: [] }],
    ['app:uc app:contact-center app:ContactCenter app:vccss', { filters: { app: inc('platform', 'cc') }, text: [] }],
    ['app:auditbot', { filters: { app: inc('auditbot') }, text: [] }],
    ['region:UK-EU region:eu region:us,apac,ca', { filters: { region: inc('uk-eu', 'us', 'apac', 'ca') }, text: [] }],
    ['impersonated:yes', { filters: {}, impersonated: true, text: [] }],
    ['impersonated:False', { filters: {}, impersonated: false, text: [] }],
    ['when:today', { filters: {}, when: 'today', text: [] }],
    ['when:1d', { filters: {}, when: '24h', text: [] }],
    ['when:1w', { filters: {}, when: '7d', text: [] }],
    ['since:2026-11-01', { filters: {}, since: { kind: 'instant', iso: '2026-11-01' }, text: [] }],
    ['since:2026-11-01t09:30z', { filters: {}, since: { kind: 'instant', iso: '2026-11-01T09:30Z' }, text: [] }],
    [
      'since:2026-11-01T09:30:00.000+02:00',
      {
        filters: {},
        since: { kind: 'instant', iso: '2026-11-01T09:30:00.000+02:00' },
        text: [],
      },
    ],
    [
      'since:30M until:2W',
      {
        filters: {},
        since: { kind: 'ago', amount: 30, unit: 'm' },
        until: { kind: 'ago', amount: 2, unit: 'w' },
        text: [],
      },
    ],
    ['until:2026-11-20', { filters: {}, until: { kind: 'instant', iso: '2026-11-20' }, text: [] }],
    ['Sales "ring group" EMEA', { filters: {}, text: ['Sales', 'ring group', 'EMEA'] }],
    ['"" "   " xyz', { filters: {}, text: ['xyz'] }],
    ['- xyz', { filters: {}, text: ['-', 'xyz'] }],
    ['a-b', { filters: {}, text: ['a-b'] }],
  ])('%s', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });

  it('merges a repeated list qualifier: union, first-occurrence order, no duplicates', () => {
    expect(parsed('op:delete,update who:bob op:bulk,delete -op:read -op:read,export who:bob,carol').filters).toEqual({
      op: { include: ['delete', 'update', 'bulk'], exclude: ['read', 'export'] },
      who: { include: ['bob', 'carol'], exclude: [] },
    });
  });

  it('keeps free text and qualifiers apart wherever they appear', () => {
    expect(parsed('Sales entity:ringgroup op:delete "Sales – EMEA"')).toEqual({
      filters: { entity: inc('ringgroup'), op: inc('delete') },
      text: ['Sales', 'Sales – EMEA'],
    });
  });

  it('reads words whose prefix is not a letters-only name as free text (times, URLs, numbers)', () => {
    expect(parsed('12:30 https://admin.8x8.com/x :lead a1:b')).toEqual({
      filters: {},
      text: ['12:30', 'https://admin.8x8.com/x', ':lead', 'a1:b'],
    });
  });

  it('reads a quoted qualifier-like phrase as free text', () => {
    expect(parsed('"who:alice" "-op:read"').text).toEqual(['who:alice', '-op:read']);
  });

  it('accepts the same single-valued qualifier twice when the values agree', () => {
    expect(parsed('when:7d when:7d impersonated:yes impersonated:true')).toEqual({
      filters: {},
      when: '7d',
      impersonated: true,
      text: [],
    });
  });
});

describe('parseQuery: errors', () => {
  it.each<[string, string, string]>([
    ['usr:alice', 'usr:', 'who:'],
    ['user:alice', 'user:', 'who:'],
    ['by:alice', 'by:', 'who:'],
    ['actor:alice', 'actor:', 'who:'],
    ['type:user', 'type:', 'entity:'],
    ['entitytype:user', 'entitytype:', 'entity:'],
    ['operation:delete', 'operation:', 'op:'],
    ['action:delete', 'action:', 'op:'],
    ['event:delete', 'event:', 'op:'],
    ['application:cc', 'application:', 'app:'],
    ['service:cc', 'service:', 'app:'],
    ['date:7d', 'date:', 'when:'],
    ['from:7d', 'from:', 'since:'],
    ['to:2026-11-01', 'to:', 'until:'],
    ['entit:user', 'entit:', 'entity:'],
    ['regoin:us', 'regoin:', 'region:'],
    ['untill:2026-11-01', 'untill:', 'until:'],
  ])('unknown qualifier %s suggests the known one', (text, typed, suggestion) => {
    const error = onlyError(text);
    expect(error).toMatchObject({ position: 0, length: typed.length, suggestion });
    expect(error.message).toBe(`unknown qualifier \`${typed}\` — did you mean \`${suggestion}\`?`);
  });

  it('points at the name of a negated unknown qualifier, after the minus', () => {
    expect(onlyError('xyz -usr:bob')).toMatchObject({ position: 5, length: 4, suggestion: 'who:' });
  });

  it('explains an unknown qualifier with no near match and how to search for it as text', () => {
    const error = onlyError('Sales:EMEA');
    expect(error).toMatchObject({ position: 0, length: 6 });
    expect(error.suggestion).toBeUndefined();
    expect(error.message).toContain('who, op, entity');
    expect(error.message).toContain('"Sales:…"');
  });

  it.each<[string, number, number, string | undefined]>([
    ['op:delet', 3, 5, 'op:delete'],
    ['op:create,delet', 10, 5, 'op:delete'],
    ['op:frobnicate', 3, 10, undefined],
    ['app:contact', 4, 7, 'app:cc'],
    ['app:platfrom', 4, 8, 'app:platform'],
    ['region:apc', 7, 3, 'region:apac'],
    ['region:mars', 7, 4, undefined],
    ['when:7days', 5, 5, 'when:7d'],
    ['when:14d', 5, 3, 'since:14d'],
    ['since:7days', 6, 5, 'since:7d'],
    ['since:12 hours', 6, 2, undefined],
    ['until:"2 weeks"', 6, 9, 'until:2w'],
  ])('invalid value %s', (text, position, length, suggestion) => {
    const error = onlyError(text);
    expect(error).toMatchObject({ position, length });
    expect(error.suggestion).toBe(suggestion);
    if (suggestion) expect(error.message).toContain(`\`${suggestion}\``);
  });

  it('says what an operation typo probably meant', () => {
    expect(onlyError('op:delet').message).toBe('unknown operation `delet` — did you mean `op:delete`?');
  });

  it.each([
    ['since:2026-02-30', 'not a valid date'],
    ['until:2026-13-01', 'not a valid date'],
    ['since:2026-11-01T25:00Z', 'not a valid date'],
    ['since:yesterday', 'takes a date'],
    ['since:0d', 'at least 1'],
    ['impersonated:maybe', 'yes or no'],
  ])('rejects %s', (text, fragment) => {
    expect(onlyError(text).message).toContain(fragment);
  });

  it('reports an empty value over the whole qualifier, with an example', () => {
    const error = onlyError('xyz op:');
    expect(error).toMatchObject({ position: 4, length: 3 });
    expect(error.message).toBe('`op:` needs a value, like `op:delete`');
    expect(onlyError('who:""').message).toContain('`who:` needs a value');
  });

  it('reports a stray comma at the comma', () => {
    expect(onlyError('op:delete,')).toMatchObject({
      position: 9,
      length: 1,
      message: expect.stringContaining('extra comma'),
    });
    expect(onlyError('op:delete,,bulk')).toMatchObject({ position: 9, length: 1 });
  });

  it('reports an unterminated quote from the quote to the end, with the closed form', () => {
    expect(onlyError('op:delete who:"Alice Mar')).toMatchObject({
      position: 14,
      length: 10,
      message: expect.stringContaining('unterminated quote'),
      suggestion: '"Alice Mar"',
    });
    expect(onlyError('"abc\\').suggestion).toBeUndefined();
  });

  it('refuses when: together with since:/until:', () => {
    const error = onlyError('since:2026-11-01 when:7d');
    expect(error).toMatchObject({ position: 17, length: 7 });
    expect(error.message).toContain("can't be combined");
    expect(onlyError('when:24h until:1d').message).toContain("can't be combined");
  });

  it.each<[string, string | undefined]>([
    ['-impersonated:yes', 'impersonated:no'],
    ['-impersonated:no', 'impersonated:yes'],
    ['-impersonated:perhaps', undefined],
    ['-when:7d', undefined],
    ['-since:7d', 'until:7d'],
    ['-since:2026-11-01T10:00Z', 'until:2026-11-01T10:00Z'],
    ['-since:2026-11-01', undefined],
    ['-until:2026-11-01', undefined],
  ])('refuses to negate %s', (text, suggestion) => {
    const error = onlyError(text);
    expect(error).toMatchObject({ position: 0, length: text.length });
    expect(error.message).toContain("can't be excluded");
    expect(error.suggestion).toBe(suggestion);
  });

  it('refuses negated free text, bare or quoted', () => {
    expect(onlyError('-Sales').message).toContain("free text can't be excluded");
    expect(onlyError('abc -"ring group"')).toMatchObject({ position: 4, length: 13 });
  });

  it('refuses several values for a single-valued qualifier and conflicting repeats', () => {
    expect(onlyError('when:7d,30d').message).toContain('takes one value');
    expect(onlyError('impersonated:yes impersonated:no')).toMatchObject({ position: 17, length: 15 });
    expect(onlyError('since:1d since:2d').message).toContain('given twice');
  });

  it('collects every error, ordered by position', () => {
    const errors = errorsOf('usr:bob op:delet -Sales when:7d since:2d "open');
    expect(errors.map((e) => e.position)).toEqual([0, 11, 17, 24, 41]);
    expect(errors.map((e) => e.suggestion)).toEqual(['who:', 'op:delete', undefined, undefined, '"open"']);
  });
});
