import type { StatementCache } from './statements.js';

/** The small JSON state of the `kv` table (EventStore.getState), read and written in one place. */
export function readState<T>(statements: StatementCache, key: string): T | null {
  const value = statements.pluck('SELECT value FROM kv WHERE key = ?').get(key) as string | undefined;
  return value === undefined ? null : (JSON.parse(value) as T);
}

export function writeState(statements: StatementCache, key: string, value: unknown): void {
  statements
    .plain(
      'INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    )
    .run(key, JSON.stringify(value ?? null), Date.now());
}
