import { describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../../src/store/alert-outbox.js';
import type { StoreHarness } from './contract.js';
import { collectPages } from './contract.js';
import { auditEvent, isoAt, wideFilter } from './fixtures.js';

const entry = (eventId: string, destination = 'slack:CSEC'): OutboxEntry => ({
  customerId: 'tenant-a',
  ruleId: '1',
  eventId,
  destination,
  mode: 'each',
});

/** What the alert matcher and deliverer rely on: storage order, the outbox and its claims, exclusive work. */
export function describeAlertsContract(harness: StoreHarness): void {
  const outbox = () => {
    const box = harness.store().alertOutbox;
    if (!box) throw new Error('this store has no alert outbox');
    return box;
  };

  describe('storage order', () => {
    it('reads every stored event after a seq, in storage order, and never a duplicate', async () => {
      const store = harness.store();
      expect(await store.latestSeq?.()).toBe(0);
      await store.append([
        auditEvent({ id: 'a', auditTimestamp: isoAt(5) }),
        auditEvent({ id: 'b', auditTimestamp: isoAt(1) }),
      ]);
      const start = (await store.latestSeq?.()) ?? 0;
      await store.append([
        auditEvent({ id: 'c', auditTimestamp: isoAt(3) }),
        auditEvent({ id: 'a', auditTimestamp: isoAt(5) }),
      ]);
      const all = (await store.eventsAfter?.(0, 10)) ?? [];
      expect(all.map((s) => s.event.id)).toEqual(['a', 'b', 'c']);
      expect(all.map((s) => s.seq)).toEqual([...all.map((s) => s.seq)].sort((x, y) => x - y));
      expect((await store.eventsAfter?.(start, 10))?.map((s) => s.event.id)).toEqual(['c']);
      expect((await store.eventsAfter?.(0, 2))?.map((s) => s.event.id)).toEqual(['a', 'b']);
      expect(await store.latestSeq?.()).toBe(all.at(-1)?.seq);
    });
  });

  describe('storage order after a prune', () => {
    it('never hands out a seq again, even when the newest stored events were pruned', async () => {
      const store = harness.store();
      await store.append([auditEvent({ id: 'recent', auditTimestamp: isoAt(50) })]);
      // An old report imported last: the highest seq belongs to the oldest event.
      await store.append([auditEvent({ id: 'old-import', auditTimestamp: isoAt(1) })]);
      const matchedUpTo = await store.latestSeq();
      expect(await store.prune(Date.parse(isoAt(10)))).toBe(1);
      await store.append([auditEvent({ id: 'after-prune', auditTimestamp: isoAt(60) })]);
      expect((await store.eventsAfter(matchedUpTo, 10)).map((s) => s.event.id)).toEqual(['after-prune']);
      expect(await store.latestSeq()).toBeGreaterThan(matchedUpTo);
      // Its text is indexed under the seq it ended up with.
      expect((await collectPages(store, wideFilter({ text: ['sales'] }), 5)).map((e) => e.id)).toEqual([
        'after-prune',
        'recent',
      ]);
    });
  });

  describe('alert outbox', () => {
    it('enqueues each rule × event × destination once', async () => {
      expect(await outbox().enqueue([entry('e1'), entry('e2'), entry('e1')], 1000)).toBe(2);
      expect(await outbox().enqueue([entry('e2'), entry('e1', 'slack:COTHER')], 1000)).toBe(1);
      expect((await outbox().pending('slack:CSEC', 10)).map((i) => i.eventId)).toEqual(['e1', 'e2']);
      expect(await outbox().dueDestinations(1000)).toEqual(expect.arrayContaining(['slack:CSEC', 'slack:COTHER']));
    });

    it('lets one owner at a time claim a destination; a lapsed lease frees it, a settled entry ends it', async () => {
      await outbox().enqueue([entry('e1'), entry('e2')], 1000);
      const lease = { now: 2000, leaseMs: 5000, limit: 10 };
      const mine = await outbox().claim('slack:CSEC', { owner: 'A', ...lease });
      expect(mine.map((i) => i.eventId)).toEqual(['e1', 'e2']);
      expect(await outbox().claim('slack:CSEC', { owner: 'B', ...lease })).toEqual([]);
      expect((await outbox().claim('slack:CSEC', { owner: 'A', ...lease })).length).toBe(2);

      const [first, second] = mine;
      if (!first || !second) throw new Error('claimed two');
      await outbox().markSent([first.id], 'msg-1', 2500);
      expect(await outbox().claim('slack:CSEC', { owner: 'B', ...lease, now: 3000 })).toEqual([]);
      // A died holding e2: once its lease runs out, B gets it.
      const taken = await outbox().claim('slack:CSEC', { owner: 'B', ...lease, now: 7001 });
      expect(taken.map((i) => i.eventId)).toEqual(['e2']);
      await outbox().markRetry([second.id], 9000, 'HTTP 503');
      expect(await outbox().claim('slack:CSEC', { owner: 'A', ...lease, now: 8000 })).toEqual([]);
      const retried = await outbox().claim('slack:CSEC', { owner: 'A', ...lease, now: 9000 });
      expect(retried.map((i) => [i.eventId, i.attempts])).toEqual([['e2', 1]]);
      expect((await outbox().lastSent('tenant-a')).get('1')).toBe(2500);
    });

    it('keeps a paced destination closed to every owner until its slot', async () => {
      await outbox().enqueue([entry('e1')], 1000);
      await outbox().pace('slack:CSEC', 5000);
      expect(await outbox().claim('slack:CSEC', { owner: 'A', now: 4999, leaseMs: 1000, limit: 5 })).toEqual([]);
      expect(await outbox().claim('slack:CSEC', { owner: 'B', now: 5000, leaseMs: 1000, limit: 5 })).toHaveLength(1);
    });

    it('hands out each entry to one of several owners claiming at once', async () => {
      const destinations = ['slack:C1', 'slack:C2', 'slack:C3', 'teams:t1'];
      await outbox().enqueue(
        destinations.flatMap((d) => [1, 2, 3].map((n) => entry(`e${n}`, d))),
        1000,
      );
      const owners = ['A', 'B', 'C'];
      const claims = await Promise.all(
        owners.flatMap((owner) =>
          destinations.map(async (d) => ({
            owner,
            d,
            items: await outbox().claim(d, { owner, now: 2000, leaseMs: 60_000, limit: 10 }),
          })),
        ),
      );
      for (const d of destinations) {
        const winners = claims.filter((c) => c.d === d && c.items.length > 0);
        expect(winners).toHaveLength(1);
        expect(winners[0]?.items).toHaveLength(3);
      }
    });
  });

  describe('exclusive work', () => {
    it('runs work of one name once at a time and frees the name afterwards', async () => {
      const store = harness.store();
      let release: () => void = () => undefined;
      const first = store.runExclusive(
        'sync:t/platform',
        () => new Promise<string>((done) => (release = () => done('first'))),
      );
      await new Promise((r) => setTimeout(r, 50));
      expect(await store.runExclusive('sync:t/platform', async () => 'second')).toEqual({ ran: false });
      expect(await store.runExclusive('sync:t/cc', async () => 'other')).toEqual({ ran: true, value: 'other' });
      const waiting = store.runExclusive('sync:t/platform', async () => 'waited', { waitMs: 5000, retryMs: 20 });
      release();
      expect(await first).toEqual({ ran: true, value: 'first' });
      expect(await waiting).toEqual({ ran: true, value: 'waited' });
      await expect(store.runExclusive('x', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await store.runExclusive('x', async () => 1)).toEqual({ ran: true, value: 1 });
    });
  });
}
