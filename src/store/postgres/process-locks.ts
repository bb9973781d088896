import pg from 'pg';
import type { ProcessLocks } from '../exclusive.js';
import { EXCLUSIVE_LOCK } from './locks.js';

/**
 * Session advisory locks on one dedicated connection (outside the pool, so a pool busy with queries
 * never delays a lock, and a lock is never left on a connection another query reuses). When this
 * process dies its connection closes and PostgreSQL releases every lock it held: another instance
 * takes the work over on its next try. Lock calls go one at a time (one connection, one query).
 */
export function createProcessLocks(config: pg.ClientConfig): ProcessLocks {
  let client: Promise<pg.Client> | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  const connect = (): Promise<pg.Client> => {
    if (!client) {
      const fresh = new pg.Client({ ...config, application_name: 'auditbot-locks' });
      const opened: Promise<pg.Client> = fresh.connect().then(
        () => fresh,
        (error: unknown) => {
          forget();
          throw error;
        },
      );
      // A dropped connection has released its locks server-side: forget it (only if it is still the
      // current one: a late 'end' of an old connection must not orphan a newer one holding locks).
      const forget = () => {
        if (client === opened) client = null;
      };
      fresh.on('error', () => {
        forget();
        fresh.end().catch(() => undefined);
      });
      fresh.on('end', forget);
      client = opened;
    }
    return client;
  };
  const serial = <T>(work: (c: pg.Client) => Promise<T>): Promise<T> => {
    const next = chain.then(async () => work(await connect()));
    chain = next.catch(() => undefined);
    return next;
  };
  // The schema is part of the key, so two deployments sharing a database never block each other.
  const key = "hashtext(coalesce(current_schema(), '') || ':' || $2)";
  return {
    tryLock: (name) =>
      serial(async (c) => {
        const result = await c.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1, ${key}) AS ok`, [
          EXCLUSIVE_LOCK,
          name,
        ]);
        return result.rows[0]?.ok === true;
      }),
    unlock: (name) =>
      serial(async (c) => {
        await c.query(`SELECT pg_advisory_unlock($1, ${key})`, [EXCLUSIVE_LOCK, name]);
      }),
    async close() {
      await chain;
      const open = client;
      client = null;
      if (open) await (await open.catch(() => null))?.end().catch(() => undefined);
    },
  };
}
