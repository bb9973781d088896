import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/domain/audit-event.js';
import type { EventFilter } from '../../src/domain/event-filter.js';
import type { EventStore } from '../../src/store/event-store.js';
import { describeAlertsContract } from './contract-alerts.js';
import { describeQuarantineContract } from './contract-quarantine.js';
import { describeQueryContract } from './contract-queries.js';
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

export interface StoreHarness {
  store: () => EventStore;
}

/** Every event a filter matches, collected page by page; fails on a repeated event. */
export async function collectPages(store: EventStore, filter: EventFilter, limit: number): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.search(filter, { limit, cursor });
    expect(page.events.length).toBeLessThanOrEqual(limit);
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor !== null);
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  return events;
}

const ids = (events: readonly AuditEvent[]) => events.map((e) => e.id);

/**
 * The behaviour every EventStore must have. Uses only the EventStore interface, so the PostgreSQL
 * store runs it unchanged. `createStore` must return an empty store each time.
 */
export function describeEventStoreContract(
  name: string,
  createStore: () => Promise<EventStore>,
  destroyStore: (store: EventStore) => Promise<void> = (store) => store.close(),
): void {
  describe(`EventStore contract: ${name}`, () => {
    let current: EventStore | null = null;
    const harness: StoreHarness = {
      store: () => {
        if (!current) throw new Error('store not created');
        return current;
      },
    };
    beforeEach(async () => {
      current = await createStore();
    });
    afterEach(async () => {
      if (current) await destroyStore(current);
      current = null;
    });

    describe('append', () => {
      it('stores new events and reports re-sent ones as duplicates, by id', async () => {
        const store = harness.store();
        const events = [auditEvent(), auditEvent(), auditEvent()];
        expect(await store.append(events)).toEqual({
          inserted: 3,
          duplicate: 0,
          outcomes: ['inserted', 'inserted', 'inserted'],
        });
        const again = await store.append([events[1]!, auditEvent(), events[0]!]);
        expect(again).toEqual({ inserted: 1, duplicate: 2, outcomes: ['duplicate', 'inserted', 'duplicate'] });
        expect(await store.count(wideFilter())).toBe(4);
      });

      it('recognises the same content under another id (a CSV row vs the API) by fingerprint', async () => {
        const store = harness.store();
        const fromApi = auditEvent({ source: 'api' });
        await store.append([fromApi]);
        const fromCsv = { ...fromApi, id: 'fp-derived-id', source: 'import' as const, displayName: 'Renamed' };
        expect((await store.append([fromCsv])).outcomes).toEqual(['duplicate']);
        expect(await store.get(TENANT, 'fp-derived-id')).toBeNull();
        expect((await store.get(TENANT, fromApi.id))?.source).toBe('api');
      });

      it('treats duplicates inside one batch like duplicates across batches', async () => {
        const store = harness.store();
        const first = auditEvent();
        const sameId = auditEvent({ id: first.id });
        const sameContent = { ...first, id: 'other-id' };
        const result = await store.append([first, sameId, sameContent, auditEvent()]);
        expect(result).toEqual({
          inserted: 2,
          duplicate: 2,
          outcomes: ['inserted', 'duplicate', 'duplicate', 'inserted'],
        });
      });

      it('accepts an empty batch', async () => {
        expect(await harness.store().append([])).toEqual({ inserted: 0, duplicate: 0, outcomes: [] });
      });

      it('rejects the whole batch, naming the index and field, when one event is invalid', async () => {
        const store = harness.store();
        const invalid = { ...auditEvent(), auditTimestamp: '1 Oct 2026' };
        await expect(store.append([auditEvent(), invalid, auditEvent()])).rejects.toThrow(/1.*auditTimestamp/);
        const unknownType = { ...auditEvent(), eventType: 'explode' } as unknown as AuditEvent;
        await expect(store.append([unknownType])).rejects.toThrow(/0.*eventType/);
        expect(await store.count(wideFilter())).toBe(0);
      });

      it('keeps the same id apart in different tenants', async () => {
        const store = harness.store();
        const ours = auditEvent({ id: 'shared-id' });
        const theirs = auditEvent({ id: 'shared-id', customerId: OTHER_TENANT });
        expect((await store.append([ours, theirs])).inserted).toBe(2);
        expect((await store.get(TENANT, 'shared-id'))?.entityKey).toBe(ours.entityKey);
        expect((await store.get(OTHER_TENANT, 'shared-id'))?.entityKey).toBe(theirs.entityKey);
      });
    });

    describe('round trip', () => {
      it('returns exactly what was appended, details, raw details and nulls included', async () => {
        const store = harness.store();
        const full = auditEvent({
          eventType: 'bulk',
          service: 'vccss',
          displayName: 'Überweisung “quoted”',
          impersonator: 'partner-7',
          details: { new: { nested: { list: [1, 'two', null, { deep: true }] }, empty: {} }, old: null },
          correlationType: 'user',
          correlationId: 'u-1',
          region: 'uk-eu',
          source: 'api',
        });
        const raw = auditEvent({ details: null, rawDetails: '{not json', displayName: null, auditUserId: null });
        const bare = auditEvent({ details: null, accessMethod: null, entityKey: '' });
        const scalar = auditEvent({ details: 'final state as text' });
        await store.append([full, raw, bare, scalar]);
        for (const event of [full, raw, bare, scalar]) expect(await store.get(TENANT, event.id)).toEqual(event);
        expect(await store.get(TENANT, 'missing')).toBeNull();
      });
    });

    describe('search order and pagination', () => {
      it('returns newest first, equal timestamps ordered by id descending', async () => {
        const store = harness.store();
        const t = isoAt(5);
        await store.append([
          auditEvent({ id: 'b', auditTimestamp: t }),
          auditEvent({ id: 'old', auditTimestamp: isoAt(1) }),
          auditEvent({ id: 'c', auditTimestamp: t }),
          auditEvent({ id: 'new', auditTimestamp: isoAt(9) }),
          auditEvent({ id: 'a', auditTimestamp: t }),
        ]);
        const page = await store.search(wideFilter(), { limit: 10 });
        expect(ids(page.events)).toEqual(['new', 'c', 'b', 'a', 'old']);
        expect(page.nextCursor).toBeNull();
      });

      it('visits every matching event exactly once across pages, whatever the page size', async () => {
        const store = harness.store();
        const events = manyEvents(240, 7);
        await store.append(events);
        await store.append(manyEvents(60, 8, OTHER_TENANT));
        const expected = ids([...events].sort(newestFirst));
        for (const limit of [1, 7, 25, 240, 500]) {
          expect(ids(await collectPages(store, wideFilter(), limit))).toEqual(expected);
        }
        const deletes: EventFilter = wideFilter({ eventTypes: { include: ['delete'], exclude: [] } });
        const expectedDeletes = events.filter((e) => matchesFilter(e, deletes)).sort(newestFirst);
        expect(ids(await collectPages(store, deletes, 4))).toEqual(ids(expectedDeletes));
        expect(await store.count(deletes)).toBe(expectedDeletes.length);
        expect(await store.count(wideFilter())).toBe(240);
      });

      it('signals the last page with a null cursor even when it is exactly full', async () => {
        const store = harness.store();
        await store.append([auditEvent(), auditEvent()]);
        const first = await store.search(wideFilter(), { limit: 1 });
        expect(first.nextCursor).not.toBeNull();
        const second = await store.search(wideFilter(), { limit: 1, cursor: first.nextCursor });
        expect(second.events).toHaveLength(1);
        expect(second.nextCursor).toBeNull();
      });

      it('rejects a malformed cursor', async () => {
        const store = harness.store();
        for (const cursor of ['not a cursor!', 'e30', Buffer.from('[1,2]').toString('base64url')]) {
          await expect(store.search(wideFilter(), { limit: 5, cursor })).rejects.toThrow('invalid cursor');
        }
      });

      it('honours the time range as half-open [start, end)', async () => {
        const store = harness.store();
        await store.append([auditEvent({ id: 'at-start', auditTimestamp: isoAt(10) })]);
        await store.append([auditEvent({ id: 'at-end', auditTimestamp: isoAt(20) })]);
        const range = { start: BASE_TIME + 10 * 60_000, end: BASE_TIME + 20 * 60_000 };
        expect(ids((await store.search(wideFilter({ range }), { limit: 5 })).events)).toEqual(['at-start']);
      });
    });

    describeQueryContract(harness);
    describeAlertsContract(harness);
    describeQuarantineContract(harness);
  });
}
