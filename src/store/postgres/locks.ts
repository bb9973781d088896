/** Advisory lock classes (first key); the second key is the schema's hash, so schemas migrate apart. */
export const MIGRATION_LOCK = 0x61756d67; // 'aumg'
export const PARTITION_LOCK = 0x61757074; // 'aupt'
/** Schema version 2's storage order (a trigger took it; version 7 dropped the trigger). */
export const SEQUENCE_LOCK = 0x61757371; // 'ausq'
/** Taken while claiming one alert destination's entries (second key: schema and destination). */
export const DESTINATION_LOCK = 0x61756473; // 'auds'
/** Session locks of `runExclusive` (second key: schema and the work's name). */
export const EXCLUSIVE_LOCK = 0x6175786c; // 'auxl'

/** Locks one of our advisory locks for this schema; `xact` ones release at commit. */
export function advisoryLockSql(kind: 'session' | 'xact', lockClass: number): string {
  const fn = kind === 'session' ? 'pg_advisory_lock' : 'pg_advisory_xact_lock';
  return `SELECT ${fn}(${lockClass}, hashtext(coalesce(current_schema(), '')))`;
}
