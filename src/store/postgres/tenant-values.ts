import type pg from 'pg';
import type { AuditEvent } from '../../domain/audit-event.js';

/** The pick-list columns, as SQLite's tenant_values names them (src/store/sqlite/tenant-values.ts). */
export const TENANT_VALUE_COLUMNS = {
  service: 'service',
  entityType: 'entity_type',
  accessMethod: 'access_method',
  region: 'region',
} as const;

type Field = keyof typeof TENANT_VALUE_COLUMNS;
const FIELDS = Object.keys(TENANT_VALUE_COLUMNS) as Field[];

/** How long a value this process stored is taken as still stored (a prune elsewhere may remove it). */
const KNOWN_FOR_MS = 60_000;

/**
 * The filter form's pick-lists (tenant_values), kept from what append stored. A trigger reading the
 * statement's new rows did this before (migration v3); PostgreSQL copies every inserted row, payload
 * and all, into the trigger's transition table, which cost 12% of import speed. Here each process
 * remembers the values it has stored for a minute and writes only values new to it: nearly every
 * append writes nothing. Written after the events commit: a crash in between leaves a value out until
 * the next event carrying it, which this process (its memory empty after a restart) writes again.
 */
export class TenantValueWriter {
  private known = new Set<string>();
  private since = Date.now();

  constructor(private readonly pool: pg.Pool) {}

  private forget(): void {
    this.known = new Set();
    this.since = Date.now();
  }

  async note(events: readonly AuditEvent[], inserted: readonly boolean[]): Promise<void> {
    if (Date.now() - this.since > KNOWN_FOR_MS) this.forget();
    const fresh = new Map<string, [string, Field, string]>();
    events.forEach((event, i) => {
      if (!inserted[i]) return;
      for (const field of FIELDS) {
        const value = event[field];
        if (typeof value !== 'string' || value === '') continue;
        const key = `${event.customerId}\u001f${field}\u001f${value}`;
        if (!this.known.has(key)) fresh.set(key, [event.customerId, field, value]);
      }
    });
    if (fresh.size === 0) return;
    const rows = [...fresh.values()];
    await this.pool.query(
      `INSERT INTO tenant_values (customer_id, field, value)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`,
      [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
    );
    for (const key of fresh.keys()) this.known.add(key);
  }

  /**
   * After a prune: values no event holds now leave the pick-lists (a prune adds none), and this
   * process's memory of stored values is dropped. One short
   * statement per field, never a long transaction: appends that bring a value back wait only for
   * that value's row, and their trigger then inserts it again.
   */
  async forgetPruned(customerId?: string): Promise<void> {
    this.forget();
    const client = await this.pool.connect();
    try {
      // A value no event has is looked for in every event: longer than a query's usual timeout.
      await client.query('SET statement_timeout = 0');
      for (const [field, column] of Object.entries(TENANT_VALUE_COLUMNS)) {
        const tenant = customerId === undefined ? '' : ' AND t.customer_id = $2';
        await client.query(
          `DELETE FROM tenant_values t WHERE t.field = $1${tenant} AND NOT EXISTS ` +
            `(SELECT 1 FROM events e WHERE e.customer_id = t.customer_id AND e.${column} = t.value)`,
          customerId === undefined ? [field] : [field, customerId],
        );
      }
    } finally {
      client.release(true);
    }
  }
}
