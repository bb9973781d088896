import type pg from 'pg';

/** The small JSON state of the `kv` table (EventStore.getState), read and written in one place. */
export async function readState<T>(pool: pg.Pool, key: string): Promise<T | null> {
  const result = await pool.query<{ value: string }>('SELECT value FROM kv WHERE key = $1', [key]);
  const value = result.rows[0]?.value;
  return value === undefined ? null : (JSON.parse(value) as T);
}

export async function writeState(pool: pg.Pool, key: string, value: unknown): Promise<void> {
  await pool.query(
    'INSERT INTO kv (key, value, updated_at) VALUES ($1, $2, $3) ' +
      'ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    [key, JSON.stringify(value ?? null), Date.now()],
  );
}
