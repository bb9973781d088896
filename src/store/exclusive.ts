/** What `runExclusive` tells its caller: the work's result, or that someone else holds the name. */
export type ExclusiveOutcome<T> = { ran: true; value: T } | { ran: false };

export interface ExclusiveOptions {
  /** Wait up to this long for the holder to finish instead of giving up at once (default 0). */
  waitMs?: number;
  /** How often a waiting caller tries again (default 250 ms). */
  retryMs?: number;
}

/**
 * Named work that at most one runner does at a time: the alert matcher, one 8x8 sync target. Within
 * a process the names held are tracked here; across processes the store adds its own lock (a
 * PostgreSQL advisory lock, which the server releases when the holder's connection dies).
 */
export interface ExclusiveRunner {
  run<T>(name: string, work: () => Promise<T>, options?: ExclusiveOptions): Promise<ExclusiveOutcome<T>>;
  close(): Promise<void>;
}

/** The cross-process half: take a lock without waiting (false when another process holds it), give it back. */
export interface ProcessLocks {
  tryLock(name: string): Promise<boolean>;
  unlock(name: string): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** In-process names, then the store's cross-process lock when it has one (SQLite: one process, none). */
export function createExclusiveRunner(locks?: ProcessLocks): ExclusiveRunner {
  const held = new Set<string>();
  const acquire = async (name: string): Promise<boolean> => {
    if (held.has(name)) return false;
    held.add(name);
    try {
      if (!locks || (await locks.tryLock(name))) return true;
    } catch (error) {
      held.delete(name);
      throw error;
    }
    held.delete(name);
    return false;
  };
  return {
    async run(name, work, options = {}) {
      const deadline = Date.now() + (options.waitMs ?? 0);
      while (!(await acquire(name))) {
        if (Date.now() >= deadline) return { ran: false };
        await sleep(Math.min(options.retryMs ?? 250, Math.max(1, deadline - Date.now())));
      }
      try {
        return { ran: true, value: await work() };
      } finally {
        held.delete(name);
        // A lock that cannot be given back (connection gone) was released by the server with it.
        await locks?.unlock(name).catch(() => undefined);
      }
    },
    async close() {
      await locks?.close();
    },
  };
}
