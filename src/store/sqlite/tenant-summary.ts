import type Database from 'better-sqlite3';
import { type EventSource, entityTypeKey } from '../../domain/audit-event.js';
import type { KnownActor, SourceFreshness, StoreFacets, StoreStats } from '../event-store.js';
import type { StatementCache } from './statements.js';

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

interface TotalsRow {
  events: number;
  oldest: number | null;
  newest: number | null;
}

interface SourceRow {
  source: EventSource;
  events: number;
  newest: number | null;
  lastStored: number | null;
}

export function tenantStats(db: Database.Database, statements: StatementCache, customerId: string): StoreStats {
  const totals = statements
    .plain('SELECT count(*) AS events, min(ts) AS oldest, max(ts) AS newest FROM events WHERE customer_id = ?')
    .get(customerId) as TotalsRow;
  const sources = statements
    .plain(
      'SELECT source, count(*) AS events, max(ts) AS newest, max(stored_at) AS lastStored ' +
        'FROM events WHERE customer_id = ? GROUP BY source ORDER BY source',
    )
    .all(customerId) as SourceRow[];
  const bySource: SourceFreshness[] = sources.map((row) => ({
    source: row.source,
    events: row.events,
    newestEvent: isoOrNull(row.newest),
    lastStoredAt: isoOrNull(row.lastStored),
  }));
  return {
    events: totals.events,
    oldestEvent: isoOrNull(totals.oldest),
    newestEvent: isoOrNull(totals.newest),
    bySource,
    sizeBytes: db.memory ? null : pageBytes(db),
  };
}

function pageBytes(db: Database.Database): number {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  return pages * pageSize;
}

/**
 * Everyone who acted in the tenant (as user or as impersonator), named by the latest displayName of
 * the `user` entity with that key. Distinct actors come from a skip-scan of events_by_actor (one
 * index seek per actor, not one step per event); impersonators from their small partial index.
 */
const ACTORS_SQL = `
WITH RECURSIVE actor_ids(id) AS (
  SELECT min(audit_user_id) FROM events WHERE customer_id = @customerId AND audit_user_id IS NOT NULL
  UNION ALL
  SELECT (SELECT min(audit_user_id) FROM events WHERE customer_id = @customerId AND audit_user_id > actor_ids.id)
  FROM actor_ids WHERE actor_ids.id IS NOT NULL
),
ids(id) AS (
  SELECT id FROM actor_ids WHERE id IS NOT NULL
  UNION
  SELECT DISTINCT impersonator FROM events WHERE customer_id = @customerId AND impersonator IS NOT NULL
)
SELECT id, (
  SELECT display_name FROM events AS u
  WHERE u.customer_id = @customerId AND u.entity_key = ids.id AND u.entity_type_key = 'user'
    AND u.display_name IS NOT NULL
  ORDER BY u.ts DESC, u.id DESC LIMIT 1
) AS name
FROM ids`;

/** Sorted by name (case-insensitive, unnamed last), then id. */
export function compareActors(a: KnownActor, b: KnownActor): number {
  if (a.name !== b.name) {
    if (a.name === null) return 1;
    if (b.name === null) return -1;
    const byName = a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });
    if (byName !== 0) return byName;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function tenantActors(statements: StatementCache, customerId: string): KnownActor[] {
  const rows = statements.plain(ACTORS_SQL).all({ customerId }) as KnownActor[];
  return rows.sort(compareActors);
}

interface TenantValueRow {
  field: 'service' | 'entityType' | 'region' | 'accessMethod';
  value: string;
}

/**
 * The tenant's pick-list values, kept on append in tenant_values (see tenant-values.ts). Entity
 * types differing only in case or separators are one facet (`RingGroup` = `ringgroup`).
 */
export function tenantFacets(statements: StatementCache, customerId: string): StoreFacets {
  const rows = statements
    .plain('SELECT field, value FROM tenant_values WHERE customer_id = ?')
    .all(customerId) as TenantValueRow[];
  const services = new Set<string>();
  const entityTypes = new Map<string, string>();
  const regions = new Set<string>();
  const accessMethods = new Set<string>();
  for (const { field, value } of rows) {
    if (field === 'service') services.add(value);
    else if (field === 'region') regions.add(value);
    else if (field === 'accessMethod') accessMethods.add(value);
    else {
      const key = entityTypeKey(value);
      const known = entityTypes.get(key);
      if (known === undefined || value < known) entityTypes.set(key, value);
    }
  }
  const sorted = (values: Iterable<string>) => [...values].sort();
  return {
    services: sorted(services),
    entityTypes: sorted(entityTypes.values()),
    regions: sorted(regions),
    accessMethods: sorted(accessMethods),
  };
}
