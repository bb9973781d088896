import { afterEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../src/sources/eightx8/rate-limiter.js';
import { makeAuditItems } from '../../fakes/eightx8-api.js';
import { NOW } from '../../helpers/auditbot.js';
import { DAY, type SyncHarness, startSyncHarness } from './sync-harness.js';

/** The most stamps inside any rolling window of `ms` (windows start at each stamp). */
function busiestWindow(stamps: number[], ms: number): number {
  const sorted = [...stamps].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    const from = sorted[i] ?? 0;
    most = Math.max(most, sorted.filter((t) => t >= from && t < from + ms).length);
  }
  return most;
}

function virtualTime() {
  const time = { now: NOW };
  return {
    time,
    clock: () => time.now,
    sleep: async (ms: number) => {
      time.now += ms;
    },
  };
}

describe('rate limiter', () => {
  it('keeps any rolling minute at the limit and any 10 s at a fifth of it, across concurrent callers', async () => {
    const { time, clock, sleep } = virtualTime();
    const limiter = createRateLimiter({ perMinute: 10, clock, sleep });
    const stamps: number[] = [];
    const caller = async () => {
      for (let i = 0; i < 25; i += 1) {
        await limiter.acquire();
        stamps.push(clock());
      }
    };
    await Promise.all([caller(), caller()]);
    expect(stamps).toHaveLength(50);
    expect(busiestWindow(stamps, 60_000)).toBe(10);
    expect(busiestWindow(stamps, 10_000)).toBe(2);
    // It waits no longer than it must: 50 requests at 10 a minute take four minutes and a bit.
    expect(time.now - NOW).toBeLessThan(5 * 60_000);
  });

  it('is off at 0', async () => {
    const { time, clock, sleep } = virtualTime();
    const limiter = createRateLimiter({ perMinute: 0, clock, sleep });
    for (let i = 0; i < 500; i += 1) await limiter.acquire();
    expect(time.now).toBe(NOW);
  });

  it('stops waiting when its caller aborts', async () => {
    const limiter = createRateLimiter({ perMinute: 1 });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stopping'));
    await expect(waiting).rejects.toThrow('stopping');
  });
});

describe('8x8 sync under the rate limit', () => {
  let harness: SyncHarness;
  afterEach(async () => harness.dispose());

  it.each([
    ['a small limit', '12', 12],
    ['the default limit', undefined, 100],
  ])('never exceeds %s per rolling minute (requests timed by the fake)', async (_label, setting, limit) => {
    // The harness turns the limit off unless told; undefined removes that override (→ the default).
    harness = await startSyncHarness({ EIGHTX8_RATE_LIMIT_PER_MINUTE: setting });
    const count = limit === 12 ? 4_000 : 25_000;
    harness.fake.add(makeAuditItems({ count, start: NOW - 80 * DAY, end: NOW, customerId: 'cust-1' }));
    const summary = await harness.syncOnce();

    const stamps = harness.fake.requests.map((r) => r.at);
    expect(summary.inserted).toBe(count);
    expect(stamps.length).toBeGreaterThan(limit * 2);
    expect(busiestWindow(stamps, 60_000)).toBe(limit);
    expect(busiestWindow(stamps, 10_000)).toBeLessThanOrEqual(Math.ceil(limit / 5));
  });
});
