import { afterEach, describe, expect, it } from 'vitest';
import { watermarkKey } from '../../../src/sources/eightx8/sync-state.js';
import { freshnessKey } from '../../../src/store/sync-health.js';
import { makeAuditItems } from '../../fakes/eightx8-api.js';
import { NOW } from '../../helpers/auditbot.js';
import { CUSTOMER, DAY, type SyncHarness, startSyncHarness } from './sync-harness.js';

const RETENTION_START = NOW - 90 * DAY;
const TARGET = { customerId: CUSTOMER, service: 'platform', region: null };

let harness: SyncHarness;
afterEach(async () => harness?.dispose());

function tenThousand() {
  return makeAuditItems({ count: 10_000, start: RETENTION_START + 1, end: NOW, customerId: CUSTOMER });
}

function auditRequests(h: SyncHarness) {
  return h.fake.requests.filter((r) => r.path.endsWith('/audits'));
}

describe('8x8 sync: first run backfills the retention window', () => {
  it('stores 10,000 events over 90 days exactly once, in three ≤31-day windows of 100-item pages', async () => {
    harness = await startSyncHarness();
    harness.fake.add(tenThousand());
    // One event sits exactly on a window edge: the API's inclusive ends return it twice.
    harness.fake.add(
      makeAuditItems({ count: 1, start: RETENTION_START + 31 * DAY, end: NOW, customerId: CUSTOMER, prefix: 'edge' }),
    );

    const summary = await harness.syncOnce();

    const stored = await harness.storedEvents();
    const ids = new Set(stored.map((e) => e.id));
    expect(stored).toHaveLength(10_001);
    expect(ids.size).toBe(10_001);
    expect(ids.has('rec-0') && ids.has('rec-9999') && ids.has('edge-0')).toBe(true);
    expect(summary).toMatchObject({ windows: 3, windowsDone: 3, inserted: 10_001, duplicate: 1, rejected: 0 });
    expect(stored.every((e) => e.source === 'api' && e.customerId === CUSTOMER)).toBe(true);

    const requests = auditRequests(harness);
    expect(requests.every((r) => r.status === 200 && r.query.size === '100' && r.apiKey === 'test-api-key')).toBe(true);
    const starts = [...new Set(requests.map((r) => r.query.startTime))];
    expect(starts).toEqual([0, 31, 62].map((d) => new Date(RETENTION_START + d * DAY).toISOString()));
    for (const r of requests) {
      expect(Date.parse(r.query.endTime ?? '') - Date.parse(r.query.startTime ?? '')).toBeLessThanOrEqual(31 * DAY);
    }
    expect(summary.pages).toBe(requests.length);

    expect(await harness.auditbot.store.getState(watermarkKey(TARGET))).toBe(new Date(NOW).toISOString());
    expect(await harness.auditbot.store.getState(freshnessKey(CUSTOMER))).toBe(new Date(NOW).toISOString());
  });

  it('resumes a backfill stopped mid-way with no gap and no duplicate', async () => {
    harness = await startSyncHarness();
    const items = tenThousand();
    harness.fake.add(items);
    const controller = new AbortController();

    // Stop in the second window: the first is stored and checkpointed, the second only partly.
    const stopped = harness.syncOnce({
      signal: controller.signal,
      batchSize: 1000,
      onProgress: (p) => {
        if (p.windowsDone === 1 && p.pages >= 50) controller.abort(new Error('operator stopped the sync'));
      },
    });
    await expect(stopped).rejects.toThrow(/operator stopped/);
    const firstWindowEnd = new Date(RETENTION_START + 31 * DAY).toISOString();
    expect(await harness.auditbot.store.getState(watermarkKey(TARGET))).toBe(firstWindowEnd);
    const partial = (await harness.storedEvents()).length;
    expect(partial).toBeGreaterThan(3444);
    expect(partial).toBeLessThan(10_000);

    const before = auditRequests(harness).length;
    const resumed = await harness.syncOnce();

    const stored = await harness.storedEvents();
    expect(stored).toHaveLength(10_000);
    expect(new Set(stored.map((e) => e.id))).toEqual(new Set(items.map((i) => i.id)));
    // It picked up from the checkpoint (minus the overlap), not from the start of retention.
    // (The stopped run's aborted prefetch may still reach the fake; it carries a scrollId.)
    const firstResumed = auditRequests(harness)
      .slice(before)
      .find((r) => r.query.scrollId === undefined);
    expect(firstResumed?.query.startTime).toBe(new Date(RETENTION_START + 31 * DAY - 15 * 60_000).toISOString());
    expect(resumed.inserted).toBe(10_000 - partial);
    expect(await harness.auditbot.store.getState(watermarkKey(TARGET))).toBe(new Date(NOW).toISOString());
  });
});

describe('8x8 sync: polls from the watermark minus the overlap', () => {
  it('picks up events registered late, inside the overlap', async () => {
    harness = await startSyncHarness();
    harness.fake.add(
      makeAuditItems({ count: 500, start: RETENTION_START + 1, end: NOW - 60 * 60_000, customerId: CUSTOMER }),
    );
    await harness.syncOnce();

    // Five minutes later the API has registered an event stamped ten minutes before the last sync.
    harness.clock.now = NOW + 5 * 60_000;
    harness.fake.add(
      makeAuditItems({ count: 1, start: NOW - 10 * 60_000, end: NOW, customerId: CUSTOMER, prefix: 'late' }),
    );
    const before = auditRequests(harness).length;
    const poll = await harness.syncOnce();

    expect(poll).toMatchObject({ windows: 1, inserted: 1, duplicate: 0 });
    expect(auditRequests(harness)[before]?.query).toMatchObject({
      startTime: new Date(NOW - 15 * 60_000).toISOString(),
      endTime: new Date(NOW + 5 * 60_000).toISOString(),
    });
    expect(await harness.auditbot.store.get(CUSTOMER, 'late-0')).not.toBeNull();
    expect(await harness.auditbot.store.getState(freshnessKey(CUSTOMER))).toBe(
      new Date(NOW + 5 * 60_000).toISOString(),
    );
  });

  it('with --since fetches that range but does not vouch for a gap before it', async () => {
    harness = await startSyncHarness();
    harness.fake.add(makeAuditItems({ count: 40, start: NOW - 20 * DAY, end: NOW, customerId: CUSTOMER }));
    const summary = await harness.syncOnce({ since: NOW - 7 * DAY });
    expect(summary.inserted).toBe(14);
    expect(summary.completeUpTo).toBeNull();
    expect(await harness.auditbot.store.getState(freshnessKey(CUSTOMER))).toBeNull();
  });
});

describe('8x8 sync: defensive parsing', () => {
  it('keeps malformed details as rawDetails, keeps unknown fields out, refuses only unusable items', async () => {
    harness = await startSyncHarness();
    const [good, broken, flat] = makeAuditItems({ count: 3, start: NOW - DAY, end: NOW, customerId: CUSTOMER });
    harness.fake.add([
      { ...good!, apiVersion: 'v2', accessMethod: null },
      { ...broken!, details: '{"new": {"name": "half' },
      { ...flat!, details: '{"name":"final state only"}', service: null },
      {
        id: 'no-entity',
        auditTimestamp: new Date(NOW - 60_000).toISOString(),
        service: 'platform',
        eventType: 'update',
      },
    ]);
    const summary = await harness.syncOnce();

    expect(summary).toMatchObject({ items: 4, inserted: 3, rejected: 1 });
    expect(summary.rejections[0]).toMatch(/entityType/);
    expect(await harness.auditbot.store.get(CUSTOMER, good!.id)).toMatchObject({ accessMethod: null });
    const stored = await harness.auditbot.store.get(CUSTOMER, broken!.id);
    expect(stored).toMatchObject({ details: null, rawDetails: '{"new": {"name": "half' });
    expect(await harness.auditbot.store.get(CUSTOMER, flat!.id)).toMatchObject({
      details: { name: 'final state only' },
      service: 'platform',
    });
  });
});
