import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY } from '../../../src/sources/eightx8/retry-policy.js';
import { watermarkKey } from '../../../src/sources/eightx8/sync-state.js';
import { freshnessKey } from '../../../src/store/sync-health.js';
import { type Fault, makeAuditItems } from '../../fakes/eightx8-api.js';
import { NOW } from '../../helpers/auditbot.js';
import { CUSTOMER, DAY, type SyncHarness, startSyncHarness } from './sync-harness.js';

interface HostileReply {
  name: string;
  body: string;
  problem: string;
}

const corpus = JSON.parse(
  readFileSync(new URL('../../fixtures/hostile/eightx8-replies.json', import.meta.url), 'utf8'),
) as { replies: HostileReply[] };

const TARGET = { customerId: CUSTOMER, service: 'platform', region: null };
const HOUR = 3_600_000;

let harness: SyncHarness;
afterEach(async () => harness?.dispose());

function malformed(body: string, times: number): Fault[] {
  return Array.from({ length: times }, () => ({ kind: 'status' as const, status: 200, body }));
}

async function status(h: SyncHarness) {
  const reply = await h.auditbot.bot.handle({
    principal: { platform: 'slack', id: 'UADMIN' },
    workspace: { platform: 'slack', teamId: 'T1' },
    text: 'status',
  });
  if (reply.kind !== 'summary') throw new Error(`status answered ${reply.kind}`);
  return Object.fromEntries(reply.facts.map((f) => [f.label, f.value]));
}

/** A first good pass over 90 days, then an hour later new events behind a reply that breaks the contract. */
async function syncedThenMalformed(reply: HostileReply) {
  harness = await startSyncHarness();
  harness.fake.add(makeAuditItems({ count: 30, start: NOW - 80 * DAY, end: NOW - DAY, customerId: CUSTOMER }));
  await harness.syncOnce();
  harness.clock.now = NOW + HOUR;
  harness.fake.add(
    makeAuditItems({ count: 5, start: NOW + 1, end: NOW + HOUR - 1, customerId: CUSTOMER, prefix: 'late' }),
  );
  harness.fake.inject(...malformed(reply.body, DEFAULT_RETRY_POLICY.maxAttempts));
  return harness.outcomes();
}

describe('8x8 sync: a reply that breaks the API contract never advances the watermark', () => {
  it.each(corpus.replies)('$name: the window is refused, reported in one sentence and kept unsynced', async (reply) => {
    const [outcome] = await syncedThenMalformed(reply);
    if (!outcome || !('error' in outcome)) throw new Error(`expected a failed pass, got ${JSON.stringify(outcome)}`);
    const message = outcome.error.message;
    expect(message).toContain(reply.problem);
    // Names the window it could not read.
    expect(message).toContain(new Date(NOW + HOUR).toISOString());
    expect(message).toContain(`${DEFAULT_RETRY_POLICY.maxAttempts} attempts`);
    expect(message).not.toMatch(/\n|at .*\.ts:\d+/);
    expect(await harness.auditbot.store.getState(watermarkKey(TARGET))).toBe(new Date(NOW).toISOString());
    expect(await harness.auditbot.store.getState(freshnessKey(CUSTOMER))).toBe(new Date(NOW).toISOString());
    expect((await harness.storedEvents()).some((e) => e.id.startsWith('late-'))).toBe(false);
    expect((await status(harness))['8x8 sync: platform']).toContain(reply.problem);

    // The next pass, with the API healthy again, fetches the window it had refused.
    const passStart = harness.clock.now;
    const summary = await harness.syncOnce();
    expect(summary.inserted).toBe(5);
    expect(await harness.auditbot.store.getState(watermarkKey(TARGET))).toBe(new Date(passStart).toISOString());
    expect((await status(harness))['8x8 sync: platform']).toBe('last pass fine');
  });

  it('retries a malformed reply like a 5xx and stores the window once the API answers properly', async () => {
    harness = await startSyncHarness();
    harness.fake.add(makeAuditItems({ count: 250, start: NOW - 10 * DAY, end: NOW, customerId: CUSTOMER }));
    harness.fake.inject(...malformed('{"meta":{"scrollId":null}}', 2));
    const summary = await harness.syncOnce();
    expect(summary).toMatchObject({ inserted: 250, retries: 2, windowsDone: 3 });
    expect(await harness.auditbot.store.getState(watermarkKey(TARGET))).toBe(new Date(NOW).toISOString());
  });

  it('a window whose second page keeps failing stays unsynced; the windows before it count', async () => {
    harness = await startSyncHarness();
    harness.fake.add(makeAuditItems({ count: 150, start: NOW - 5 * DAY, end: NOW, customerId: CUSTOMER }));
    // Two windows come before the one holding the events; its second page then keeps failing.
    const good = { kind: 'delay' as const, ms: 0 };
    harness.fake.inject(good, good, good, ...malformed('{"data":[]}', DEFAULT_RETRY_POLICY.maxAttempts));
    const [outcome] = await harness.outcomes();
    expect(outcome && 'error' in outcome).toBe(true);
    // Complete up to the end of the second 31-day window, not past the third.
    const secondWindowEnd = new Date(NOW - 90 * DAY + 62 * DAY).toISOString();
    expect(await harness.auditbot.store.getState(watermarkKey(TARGET))).toBe(secondWindowEnd);
    expect(await harness.auditbot.store.getState(freshnessKey(CUSTOMER))).toBe(secondWindowEnd);
    const again = await harness.syncOnce();
    expect((await harness.storedEvents()).length).toBe(150);
    expect(again.inserted + again.duplicate).toBeGreaterThanOrEqual(150);
  });
});

describe('8x8 sync: a scrollId handed out twice', () => {
  it('fails the window instead of counting its unread pages as seen', async () => {
    harness = await startSyncHarness();
    const [first, second] = makeAuditItems({ count: 2, start: NOW - 2 * HOUR, end: NOW - HOUR, customerId: CUSTOMER });
    const page = (item: unknown) =>
      JSON.stringify({ meta: { totalRecordCount: 1, scrollId: 'same-cursor' }, data: [item] });
    // The first two windows are empty; the third pages with a cursor that never moves.
    const empty = { kind: 'delay' as const, ms: 0 };
    harness.fake.inject(
      empty,
      empty,
      { kind: 'status', status: 200, body: page(first) },
      { kind: 'status', status: 200, body: page(second) },
    );
    const [outcome] = await harness.outcomes();
    if (!outcome || !('error' in outcome)) throw new Error('expected the pass to fail');
    expect(outcome.error.message).toMatch(/scrollId "same-cursor" a second time, 1 attempt\)/);
    const secondWindowEnd = new Date(NOW - 90 * DAY + 62 * DAY).toISOString();
    expect(await harness.auditbot.store.getState(watermarkKey(TARGET))).toBe(secondWindowEnd);
  });
});

describe('8x8 sync: a record that fails validation is quarantined, never dropped, never blocking', () => {
  it('stores the good records beside it, keeps each bad one once with its reason, and shows the count', async () => {
    harness = await startSyncHarness();
    const good = makeAuditItems({ count: 40, start: NOW - 3 * DAY, end: NOW - DAY, customerId: CUSTOMER });
    const bad = [
      { ...good[0], id: 'bad-type', eventType: 42 },
      { ...good[1], id: 'bad-entity', entityType: null, entityKey: null },
      { ...good[2], id: 'bad-tenant', customerId: 'someone-else' },
    ] as typeof good;
    harness.fake.add([...good, ...bad]);
    const first = await harness.syncOnce();
    expect(first).toMatchObject({ inserted: 40, rejected: 3, quarantined: 3 });
    expect(await harness.auditbot.store.getState(watermarkKey(TARGET))).toBe(new Date(NOW).toISOString());

    const kept = await harness.auditbot.store.quarantined(CUSTOMER, 10);
    expect(kept.count).toBe(3);
    const ids = kept.recent.map((r) => (JSON.parse(r.raw) as { id: string }).id).sort();
    expect(ids).toEqual(['bad-entity', 'bad-tenant', 'bad-type']);
    expect(kept.recent.every((r) => r.source === 'eightx8:platform' && r.reason.length > 10)).toBe(true);

    // The overlap fetches them again: nothing new is kept, nothing is lost.
    harness.clock.now = NOW + HOUR;
    const second = await harness.syncOnce({ since: NOW - 4 * DAY });
    expect(second).toMatchObject({ rejected: 3, quarantined: 0, inserted: 0 });
    expect((await harness.auditbot.store.quarantined(CUSTOMER, 10)).count).toBe(3);
    expect((await status(harness))['Quarantined records']).toMatch(/^3 refused by validation/);
  });
});
