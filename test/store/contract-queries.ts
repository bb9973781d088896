import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import type { ValueFilter } from '../../src/domain/audit-query.js';
import type { EventFilter } from '../../src/domain/event-filter.js';
import type { StoreHarness } from './contract.js';
import { collectPages } from './contract.js';
import {
  auditEvent,
  BASE_TIME,
  isoAt,
  manyEvents,
  matchesFilter,
  newestFirst,
  OTHER_TENANT,
  TENANT,
  wideFilter,
} from './fixtures.js';

const ids = (events: readonly AuditEvent[]) => events.map((e) => e.id);
const only = (...include: string[]): ValueFilter => ({ include, exclude: [] });
const except = (...exclude: string[]): ValueFilter => ({ include: [], exclude });

async function searchAll(harness: StoreHarness, filter: EventFilter): Promise<string[]> {
  return ids(await collectPages(harness.store(), filter, 1000));
}

/** Filters, text search, entity history, streaming, tenancy, retention, summaries and state. */
export function describeQueryContract(harness: StoreHarness): void {
  describe('filters', () => {
    const cases: [string, Partial<EventFilter>][] = [
      ['eventTypes include', { eventTypes: only('delete', 'bulk') }],
      ['eventTypes exclude', { eventTypes: except('update') }],
      ['services include', { services: only('vccss') }],
      ['services exclude', { services: except('vccss') }],
      ['entityTypes include (any case)', { entityTypes: only('RINGGROUP') }],
      ['entityTypes exclude', { entityTypes: except('user', 'Queue') }],
      ['regions include', { regions: only('us') }],
      ['regions exclude keeps events without a region', { regions: except('us') }],
      ['entityKeys include', { entityKeys: only('key-3', 'key-4') }],
      ['entityKeys exclude', { entityKeys: except('key-3') }],
      ['actors include', { actors: only('alice', 'bob') }],
      ['actors exclude', { actors: except('alice') }],
      ['accessMethods include', { accessMethods: only('api') }],
      ['accessMethods exclude', { accessMethods: except('api') }],
      ['correlationIds include', { correlationIds: only('corr-1') }],
      ['correlationIds exclude', { correlationIds: except('corr-1') }],
      ['impersonated', { impersonated: true }],
      ['not impersonated', { impersonated: false }],
      [
        'combined include and exclude',
        { eventTypes: only('create', 'update'), actors: except('bob'), services: only('platform') },
      ],
      ['narrow range', { range: { start: BASE_TIME + 5 * 60_000, end: BASE_TIME + 9 * 60_000 } }],
    ];
    it.each(cases)('%s matches the reference semantics, search and count alike', async (_label, overrides) => {
      const events = manyEvents(200, 11);
      await harness.store().append([...events, ...manyEvents(50, 12, OTHER_TENANT)]);
      const filter = wideFilter(overrides);
      const expected = events.filter((e) => matchesFilter(e, filter)).sort(newestFirst);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(events.length);
      expect(await searchAll(harness, filter)).toEqual(ids(expected));
      expect(await harness.store().count(filter)).toBe(expected.length);
    });

    it('compares entity types case- and separator-insensitively', async () => {
      await harness
        .store()
        .append([
          auditEvent({ id: 'camel', entityType: 'RingGroup' }),
          auditEvent({ id: 'lower', entityType: 'ringgroup' }),
          auditEvent({ id: 'snake', entityType: 'ring_group' }),
          auditEvent({ id: 'user', entityType: 'User' }),
        ]);
      expect((await searchAll(harness, wideFilter({ entityTypes: only('ringgroup') }))).sort()).toEqual([
        'camel',
        'lower',
        'snake',
      ]);
      expect(await searchAll(harness, wideFilter({ entityTypes: except('RingGroup') }))).toEqual(['user']);
    });

    it('treats an empty impersonator as none', async () => {
      await harness
        .store()
        .append([auditEvent({ id: 'empty', impersonator: '' }), auditEvent({ id: 'x', impersonator: 'p' })]);
      expect(await searchAll(harness, wideFilter({ impersonated: false }))).toEqual(['empty']);
    });
  });

  describe('free text', () => {
    const seed = () =>
      harness.store().append([
        auditEvent({
          id: 'sales',
          displayName: 'Sales RingGroup',
          entityType: 'RingGroup',
          details: { new: { ext: 4711 } },
        }),
        auditEvent({
          id: 'support',
          displayName: 'Support Queue',
          entityType: 'Queue',
          auditUserId: 'bob@example.com',
          details: { new: { name: 'Support' } },
        }),
        auditEvent({
          id: 'raw',
          entityType: 'Trunk',
          displayName: null,
          details: null,
          rawDetails: 'forwarding=Voicemail;',
        }),
        auditEvent({ id: 'other', customerId: OTHER_TENANT, displayName: 'Sales elsewhere' }),
      ]);
    const text = (...terms: string[]) => wideFilter({ text: terms });

    it('finds whole words, prefixes, case-insensitively, in any indexed field', async () => {
      await seed();
      expect(await searchAll(harness, text('sales'))).toEqual(['sales']);
      expect(await searchAll(harness, text('ring'))).toEqual(['sales']);
      expect(await searchAll(harness, text('SUPP'))).toEqual(['support']);
      expect(await searchAll(harness, text('bob@example.com'))).toEqual(['support']);
      expect(await searchAll(harness, text('4711'))).toEqual(['sales']);
      expect(await searchAll(harness, text('voicemail'))).toEqual(['raw']);
    });

    it('requires every term (AND) and combines with the other filters', async () => {
      await seed();
      expect(await searchAll(harness, text('sales', 'ring'))).toEqual(['sales']);
      expect(await searchAll(harness, text('sales', 'queue'))).toEqual([]);
      expect(await searchAll(harness, wideFilter({ text: ['sales'], eventTypes: only('delete') }))).toEqual([]);
      expect(await harness.store().count(text('s'))).toBe(2);
    });

    it('never fails on hostile input', async () => {
      await seed();
      for (const term of [
        '"',
        '*',
        'NEAR(',
        '-',
        ':',
        'sales"',
        '"sales',
        'a OR b',
        'AND',
        '(',
        ')',
        '^',
        '{x}',
        "'",
        '\\',
      ]) {
        await expect(harness.store().search(text(term), { limit: 5 })).resolves.toBeDefined();
        await expect(harness.store().count(text(term, 'sales'))).resolves.toBeTypeOf('number');
      }
      expect(await searchAll(harness, text('sales"'))).toEqual(['sales']);
      expect(await searchAll(harness, text('OR'))).toEqual([]);
    });
  });

  describe('entity history', () => {
    it('finds the latest earlier event of the same entity, ties broken by id', async () => {
      const entity = { service: 'vccss', entityType: 'AgentGroup', entityKey: 'ag-1' };
      const events = [
        auditEvent({ ...entity, id: 'e1', auditTimestamp: isoAt(1) }),
        auditEvent({ ...entity, id: 'e2a', auditTimestamp: isoAt(2) }),
        auditEvent({ ...entity, id: 'e2b', auditTimestamp: isoAt(2), entityType: 'agentgroup' }),
        auditEvent({ ...entity, id: 'e3', auditTimestamp: isoAt(3) }),
        auditEvent({ ...entity, id: 'later', auditTimestamp: isoAt(4), service: 'platform' }),
        auditEvent({ ...entity, id: 'theirs', auditTimestamp: isoAt(2), customerId: OTHER_TENANT }),
      ];
      await harness.store().append(events);
      const ref = { customerId: TENANT, ...entity };
      expect((await harness.store().previousState(ref, events[3]!))?.id).toBe('e2b');
      expect((await harness.store().previousState(ref, events[2]!))?.id).toBe('e2a');
      expect(await harness.store().previousState(ref, events[0]!)).toBeNull();
      const theirs = { ...ref, customerId: OTHER_TENANT };
      expect((await harness.store().previousState(theirs, events[3]!))?.id).toBe('theirs');
    });
  });

  describe('stream', () => {
    it('yields every match newest first in batches smaller than the result', async () => {
      const events = manyEvents(130, 21);
      await harness.store().append([...events, ...manyEvents(20, 22, OTHER_TENANT)]);
      const streamed: AuditEvent[] = [];
      for await (const event of harness.store().stream(wideFilter(), { batchSize: 9 })) streamed.push(event);
      expect(ids(streamed)).toEqual(ids([...events].sort(newestFirst)));
      const filter = wideFilter({ services: only('vccss') });
      const some: string[] = [];
      for await (const event of harness.store().stream(filter)) some.push(event.id);
      expect(some).toEqual(ids(events.filter((e) => matchesFilter(e, filter)).sort(newestFirst)));
    });
  });

  describe('prune', () => {
    it('deletes events older than the instant, for one tenant or all, and forgets their text', async () => {
      const store = harness.store();
      await store.append([
        auditEvent({ id: 'old', auditTimestamp: isoAt(1), displayName: 'Obsolete Trunk' }),
        auditEvent({ id: 'new', auditTimestamp: isoAt(10), displayName: 'Current Trunk' }),
        auditEvent({ id: 'old', auditTimestamp: isoAt(1), customerId: OTHER_TENANT }),
      ]);
      const cutoff = BASE_TIME + 5 * 60_000;
      expect(await store.prune(cutoff, TENANT)).toBe(1);
      expect(await store.get(OTHER_TENANT, 'old')).not.toBeNull();
      expect(await searchAll(harness, wideFilter({ text: ['trunk'] }))).toEqual(['new']);
      expect(await store.count(wideFilter({ text: ['obsolete'] }))).toBe(0);
      expect(await store.prune(cutoff)).toBe(1);
      expect(await store.get(OTHER_TENANT, 'old')).toBeNull();
      expect(await store.prune(cutoff)).toBe(0);
      const again = auditEvent({ id: 'old', auditTimestamp: isoAt(1), displayName: 'Obsolete Trunk' });
      expect((await store.append([again])).inserted).toBe(1);
      expect(await searchAll(harness, wideFilter({ text: ['obsolete'] }))).toEqual(['old']);
    });
  });

  describe('tenant summaries', () => {
    it('reports counts, oldest and newest, and freshness per source', async () => {
      const store = harness.store();
      expect(await store.stats(TENANT)).toMatchObject({
        events: 0,
        oldestEvent: null,
        newestEvent: null,
        bySource: [],
      });
      await store.append([
        auditEvent({ auditTimestamp: isoAt(3), source: 'api' }),
        auditEvent({ auditTimestamp: isoAt(7), source: 'api' }),
        auditEvent({ auditTimestamp: isoAt(5), source: 'import' }),
        auditEvent({ auditTimestamp: isoAt(9), source: 'ingest', customerId: OTHER_TENANT }),
      ]);
      const stats = await store.stats(TENANT);
      expect(stats).toMatchObject({ events: 3, oldestEvent: isoAt(3), newestEvent: isoAt(7) });
      expect(stats.bySource.map(({ source, events, newestEvent }) => ({ source, events, newestEvent }))).toEqual([
        { source: 'api', events: 2, newestEvent: isoAt(7) },
        { source: 'import', events: 1, newestEvent: isoAt(5) },
      ]);
      for (const source of stats.bySource) expect(Date.parse(source.lastStoredAt ?? '')).not.toBeNaN();
      await store.append([auditEvent({ auditTimestamp: isoAt(11), source: 'ingest' })]);
      expect(await store.stats(TENANT)).toMatchObject({ events: 4, newestEvent: isoAt(11) });
      await store.prune(BASE_TIME + 4 * 60_000, TENANT);
      expect(await store.stats(TENANT)).toMatchObject({ events: 3, oldestEvent: isoAt(5) });
    });

    it('lists actors and impersonators with the latest name of their user entity', async () => {
      const store = harness.store();
      const userEvent = (key: string, name: string, minute: number) =>
        auditEvent({ entityType: 'User', entityKey: key, displayName: name, auditTimestamp: isoAt(minute) });
      await store.append([
        userEvent('u-zed', 'Zed Old', 1),
        userEvent('u-zed', 'Ann Renamed', 2),
        userEvent('u-bea', 'Bea', 1),
        auditEvent({ auditUserId: 'u-zed' }),
        auditEvent({ auditUserId: 'u-bea', impersonator: 'partner-9' }),
        auditEvent({ auditUserId: 'u-theirs', customerId: OTHER_TENANT }),
      ]);
      // userEvent's own actor is the fixture default, alice, who has no user entity.
      expect(await store.actors(TENANT)).toEqual([
        { id: 'u-zed', name: 'Ann Renamed' },
        { id: 'u-bea', name: 'Bea' },
        { id: 'alice', name: null },
        { id: 'partner-9', name: null },
      ]);
    });

    it('lists distinct facet values of the tenant only', async () => {
      const store = harness.store();
      await store.append([
        auditEvent({ service: 'vccss', entityType: 'AgentGroup', region: 'us', accessMethod: 'api' }),
        auditEvent({ service: 'platform', entityType: 'agentgroup', region: null, accessMethod: null }),
        auditEvent({ service: 'platform', entityType: 'User', region: 'uk-eu', accessMethod: 'admin-console' }),
        auditEvent({ service: 'secret', entityType: 'Secret', region: 'apac', customerId: OTHER_TENANT }),
      ]);
      const facets = await store.facets(TENANT);
      expect(facets.services).toEqual(['platform', 'vccss']);
      expect(facets.entityTypes).toHaveLength(2);
      expect(facets.entityTypes.map((t) => t.toLowerCase()).sort()).toEqual(['agentgroup', 'user']);
      expect(facets.regions).toEqual(['uk-eu', 'us']);
      expect(facets.accessMethods).toEqual(['admin-console', 'api']);
      facets.services.push('mutated by caller');
      expect((await store.facets(TENANT)).services).toEqual(['platform', 'vccss']);
      await store.append([auditEvent({ service: 'analytics' })]);
      expect((await store.facets(TENANT)).services).toEqual(['analytics', 'platform', 'vccss']);
    });
  });

  describe('state', () => {
    it('round-trips JSON values, overwrites, deletes', async () => {
      const store = harness.store();
      expect(await store.getState('sync:acme')).toBeNull();
      await store.setState('sync:acme', { watermark: isoAt(1), windows: [1, 2] });
      expect(await store.getState('sync:acme')).toEqual({ watermark: isoAt(1), windows: [1, 2] });
      await store.setState('sync:acme', 'replaced');
      expect(await store.getState<string>('sync:acme')).toBe('replaced');
      await store.setState('counter', 0);
      expect(await store.getState('counter')).toBe(0);
      await store.deleteState('sync:acme');
      expect(await store.getState('sync:acme')).toBeNull();
      await store.deleteState('never-set');
      expect(await store.getState('counter')).toBe(0);
    });
  });
}
