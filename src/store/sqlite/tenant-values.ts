import type Database from 'better-sqlite3';

/** Which event columns feed the filter form's pick-lists, by their position in INSERT_EVENT_SQL's parameters. */
const FIELDS = [
  ['service', 4],
  ['entityType', 5],
  ['accessMethod', 15],
  ['region', 16],
] as const;
const CUSTOMER = 0;

export const INSERT_TENANT_VALUE_SQL =
  'INSERT OR IGNORE INTO tenant_values (customer_id, field, value) VALUES (?, ?, ?)';

/** The distinct (customer, field, value) triples of one append batch: a handful of inserts per batch. */
export class TenantValueSet implements Iterable<[string, string, string]> {
  private readonly seen = new Map<string, [string, string, string]>();

  addRow(row: readonly unknown[]): void {
    const customerId = row[CUSTOMER] as string;
    for (const [field, index] of FIELDS) {
      const value = row[index];
      if (typeof value !== 'string' || value === '') continue;
      const key = `${customerId}\u001f${field}\u001f${value}`;
      if (!this.seen.has(key)) this.seen.set(key, [customerId, field, value]);
    }
  }

  [Symbol.iterator](): Iterator<[string, string, string]> {
    return this.seen.values();
  }
}

const COLUMN: Record<(typeof FIELDS)[number][0], string> = {
  service: 'service',
  entityType: 'entity_type',
  accessMethod: 'access_method',
  region: 'region',
};

/** After a prune: recompute the pick-lists from what is left (rare, so a scan is fine). */
export function rebuildTenantValues(db: Database.Database, customerId?: string): void {
  const scope = customerId === undefined ? '' : 'WHERE customer_id = @customerId';
  const selects = Object.entries(COLUMN).map(
    ([field, column]) =>
      `SELECT DISTINCT customer_id, '${field}', ${column} FROM events ${scope}${scope ? ' AND' : 'WHERE'} ${column} IS NOT NULL AND ${column} <> ''`,
  );
  db.transaction(() => {
    db.prepare(`DELETE FROM tenant_values ${scope}`).run(customerId === undefined ? {} : { customerId });
    db.prepare(`INSERT OR IGNORE INTO tenant_values (customer_id, field, value) ${selects.join(' UNION ')}`).run(
      customerId === undefined ? {} : { customerId },
    );
  })();
}
