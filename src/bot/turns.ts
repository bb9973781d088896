/**
 * Commands take turns. Store reads are synchronous (better-sqlite3), so a burst of commands run
 * side by side would hold the event loop for all of their work at once, and requests still waiting
 * for an HTTP acknowledgement (Slack wants one within 3 s) would wait behind every one of them.
 * Running one command at a time, with a pass through the event loop before each, lets pending I/O —
 * acks, incoming requests, replies being sent — go between commands.
 */
export interface Turns {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createTurns(): Turns {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      const mine = tail.then(
        () => new Promise<void>((resolve) => setImmediate(resolve)),
        () => new Promise<void>((resolve) => setImmediate(resolve)),
      );
      const result = mine.then(work);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
