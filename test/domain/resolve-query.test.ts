import { describe, expect, it } from 'vitest';
import type { AuditQuery } from '../../src/domain/audit-query.js';
import type { EventFilter } from '../../src/domain/event-filter.js';
import { parseQuery } from '../../src/domain/query-language.js';
import { actorIds, type ResolveContext, resolveQuery } from '../../src/domain/resolve-query.js';
import { DAY_MS } from '../../src/domain/time-range.js';

const NOW = Date.parse('2026-11-20T15:30:00.000Z');
const ACTORS: ResolveContext['actors'] = [
  { id: 'u-100', name: 'Alice Martin' },
  { id: 'u-200', name: 'Bob Chen' },
  { id: 'u-300', name: 'Alicia Keys-Martinez' },
  { id: 'SUP-81', name: null },
];
const CTX: ResolveContext = { customerId: 'cust-1', now: NOW, retentionDays: 90, actors: ACTORS };
const WHOLE_RETENTION = { start: NOW - 90 * DAY_MS, end: NOW + 1 };

function queryOf(text: string): AuditQuery {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(`bad test query "${text}": ${JSON.stringify(parsed.errors)}`);
  return parsed.query;
}

function filterOf(text: string, ctx: ResolveContext = CTX): EventFilter {
  const resolved = resolveQuery(queryOf(text), ctx);
  if (!resolved.ok) throw new Error(resolved.error);
  return resolved.filter;
}

describe('resolveQuery', () => {
  it('scopes an empty query to the tenant and the retention window, with no other constraint', () => {
    expect(resolveQuery(queryOf(''), CTX)).toEqual({
      ok: true,
      filter: { customerId: 'cust-1', range: WHOLE_RETENTION },
      window: WHOLE_RETENTION,
      clamped: false,
    });
  });

  it.each<[string, Partial<EventFilter>]>([
    ['op:delete,bulk', { eventTypes: { include: ['delete', 'bulk'], exclude: [] } }],
    ['op:read', { eventTypes: { include: ['read', 'view'], exclude: [] } }],
    ['op:view,read', { eventTypes: { include: ['read', 'view'], exclude: [] } }],
    ['-op:read', { eventTypes: { include: [], exclude: ['read', 'view'] } }],
    ['app:platform', { services: { include: ['platform'], exclude: [] } }],
    ['app:cc -app:auditbot', { services: { include: ['vccss'], exclude: ['auditbot'] } }],
    [
      'entity:RingGroup,ring_group entity:"Call Queue"',
      { entityTypes: { include: ['ringgroup', 'callqueue'], exclude: [] } },
    ],
    ['region:uk-eu -region:us', { regions: { include: ['uk-eu'], exclude: ['us'] } }],
    ['key:AbC-1', { entityKeys: { include: ['AbC-1'], exclude: [] } }],
    ['via:API', { accessMethods: { include: ['API'], exclude: [] } }],
    ['corr:Xy9', { correlationIds: { include: ['Xy9'], exclude: [] } }],
    ['impersonated:no', { impersonated: false }],
    ['Sales "ring group"', { text: ['Sales', 'ring group'] }],
    ['who:bob', { actors: { include: ['u-200'], exclude: [] } }],
  ])('%s', (text, expected) => {
    expect(filterOf(text)).toEqual({ customerId: 'cust-1', range: WHOLE_RETENTION, ...expected });
  });

  it('resolves the time qualifiers to the window it reports', () => {
    const resolved = resolveQuery(queryOf('op:delete when:7d'), CTX);
    expect(resolved).toMatchObject({ ok: true, window: { start: NOW - 7 * DAY_MS, end: NOW + 1 }, clamped: false });
    expect(resolved.ok && resolved.filter.range).toEqual({ start: NOW - 7 * DAY_MS, end: NOW + 1 });
  });

  it('reports a cut to the retention window', () => {
    expect(resolveQuery(queryOf('when:90d'), { ...CTX, retentionDays: 30 })).toMatchObject({
      ok: true,
      window: { start: NOW - 30 * DAY_MS },
      clamped: true,
    });
  });

  it('returns the time-range error instead of a filter', () => {
    const resolved = resolveQuery(queryOf('since:2026-11-10 until:2026-11-01'), CTX);
    expect(resolved.ok).toBe(false);
    expect(!resolved.ok && resolved.error).toContain('put `since:` before `until:`');
  });

  it('does not share arrays with the query it resolved', () => {
    const query = queryOf('region:us Sales');
    const filter = filterOf('region:us Sales');
    filter.regions?.include.push('ca');
    filter.text?.push('x');
    expect(query.filters.region?.include).toEqual(['us']);
    expect(resolveQuery(query, CTX).ok && query.text).toEqual(['Sales']);
  });
});

describe('who: resolution', () => {
  it.each<[string, string[]]>([
    ['alice', ['u-100']],
    ['alic', ['u-100', 'u-300']],
    ['ALICE MARTIN', ['u-100']],
    ['mart', ['u-100', 'u-300']],
    ['martinez', ['u-300']],
    ['keys', ['u-300']],
    ['lice', ['lice']],
    ['u-200', ['u-200']],
    ['U-200', ['u-200']],
    ['sup-81', ['SUP-81']],
    ['nobody', ['nobody']],
  ])('%s → %j', (who, ids) => {
    expect(actorIds(who, ACTORS)).toEqual(ids);
  });

  it('keeps an unknown value literally so the search finds nothing rather than everything', () => {
    expect(actorIds('u-999', [])).toEqual(['u-999']);
    expect(actorIds('', ACTORS)).toEqual(['']);
  });

  it('resolves includes and excludes, merging and de-duplicating ids', () => {
    expect(filterOf('who:alic,"Alice Martin",bob -who:u-300,ghost').actors).toEqual({
      include: ['u-100', 'u-300', 'u-200'],
      exclude: ['u-300', 'ghost'],
    });
  });
});
