import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`; rejects with the signal's reason when aborted, so a stopping sync does not linger. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = async (ms, signal) => {
  await delay(Math.max(0, ms), undefined, { signal });
};

/** Admits one request at a time so the calls made through it stay under the limits. */
export interface RateLimiter {
  acquire(signal?: AbortSignal): Promise<void>;
}

interface Window {
  limit: number;
  ms: number;
}

const MINUTE_MS = 60_000;
/**
 * Requests reach the server a little after their slot, by varying amounts; windows one second longer
 * than the server's keep its count under the limit too (measured: 101 per minute without this).
 */
const SKEW_MARGIN_MS = 1000;
/** 8x8's sibling admin APIs allow bursts of 20 per 10 s at 100 per minute: one fifth per sixth. */
const BURST_WINDOW_MS = 10_000;

/**
 * A sliding-log limiter per API key: at most `perMinute` requests in any rolling minute and at most
 * a fifth of that in any rolling 10 s (so a backfill does not spend the minute in its first second).
 * `perMinute` 0 turns it off. Clock and sleep are injected so tests run on virtual time.
 */
export function createRateLimiter(options: { perMinute: number; clock?: () => number; sleep?: Sleep }): RateLimiter {
  const { perMinute } = options;
  if (perMinute <= 0) return { acquire: async () => {} };
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const windows: Window[] = [
    { limit: perMinute, ms: MINUTE_MS + SKEW_MARGIN_MS },
    { limit: Math.max(1, Math.ceil(perMinute / 5)), ms: BURST_WINDOW_MS + SKEW_MARGIN_MS },
  ];
  const stamps: number[] = [];

  /** How long until one more request fits every window (0 = now). */
  const waitFor = (now: number): number => {
    while (stamps.length > 0 && (stamps[0] ?? 0) <= now - MINUTE_MS - SKEW_MARGIN_MS) stamps.shift();
    let wait = 0;
    for (const window of windows) {
      const inWindow = stamps.filter((t) => t > now - window.ms);
      if (inWindow.length >= window.limit) {
        const oldestThatMustLeave = inWindow[inWindow.length - window.limit] ?? now;
        wait = Math.max(wait, oldestThatMustLeave + window.ms - now);
      }
    }
    return wait;
  };

  const takeSlot = async (signal?: AbortSignal): Promise<void> => {
    for (;;) {
      signal?.throwIfAborted();
      const now = clock();
      const wait = waitFor(now);
      if (wait <= 0) {
        stamps.push(now);
        return;
      }
      await sleep(wait, signal);
    }
  };

  // Callers queue in order: concurrent loops sharing a key take turns instead of racing for slots.
  let queue: Promise<void> = Promise.resolve();
  return {
    acquire(signal) {
      const turn = queue.then(() => takeSlot(signal));
      queue = turn.catch(() => {});
      return turn;
    },
  };
}
