/**
 * Commands take turns. Store reads are synchronous (better-sqlite3), so a burst of commands run
 * side by side would hold the event loop for all of their work at once, and requests still waiting
 * for an HTTP acknowledgement (Slack wants one within 3 s) would wait behind every one of them.
 * Running one command at a time, with a pass through the event loop before each, lets pending I/O —
 * acks, incoming requests, replies being sent — go between commands.
 *
 * One pass is not always enough: libuv accepts a single new connection per pass, so with a command
 * in every pass a burst of N new connections would wait for up to N commands before being read. A
 * turn therefore keeps passing while `arrivals` (a count of connections and requests taken in) moves,
 * up to MAX_YIELD_PASSES so that a steady stream of requests cannot starve the commands.
 */
export interface Turns {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export interface TurnsOptions {
  /** A count that grows as requests come in (see server/arrivals.ts); none: one pass per turn. */
  arrivals?: () => number;
}

/** Passes one turn may give to arrivals; each costs well under a millisecond when nothing else runs. */
export const MAX_YIELD_PASSES = 64;

const nextPass = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Passes through the event loop until a pass takes in no new arrival (at least one pass). */
async function yieldToArrivals(arrivals: () => number): Promise<void> {
  let seen = arrivals();
  for (let pass = 0; pass < MAX_YIELD_PASSES; pass += 1) {
    await nextPass();
    const now = arrivals();
    if (now === seen) return;
    seen = now;
  }
}

export function createTurns(options: TurnsOptions = {}): Turns {
  const arrivals = options.arrivals ?? (() => 0);
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      const mine = tail.then(
        () => yieldToArrivals(arrivals),
        () => yieldToArrivals(arrivals),
      );
      const result = mine.then(work);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
