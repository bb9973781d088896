import type pg from 'pg';
import { type EventSource, entityTypeKey } from '../../domain/audit-event.js';
import type { KnownActor, StoreFacets, StoreStats } from '../event-store.js';
import { compareActors } from '../sqlite/tenant-summary.js';

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

interface SourceRow {
  source: EventSource;
  events: number;
  oldest: number;
  newest: number;
  last_stored: number;
}

/** One pass grouped by source; the totals are the sums, minimum and maximum of the groups. */
const STATS_SQL =
  'SELECT source, count(*) AS events, min(ts) AS oldest, max(ts) AS newest, max(stored_at) AS last_stored ' +
  'FROM events WHERE customer_id = $1 GROUP BY source ORDER BY source';

/** Everything auditbot keeps in its schema: partitions with their indexes and TOAST, keys, state. */
const SIZE_SQL =
  "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::int8 AS bytes FROM pg_class c WHERE c.relkind = 'r' " +
  "AND c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = 'events'::regclass)";

export async function tenantStats(pool: pg.Pool, customerId: string): Promise<StoreStats> {
  const [sources, size] = await Promise.all([
    pool.query<SourceRow>(STATS_SQL, [customerId]),
    pool.query<{ bytes: number }>(SIZE_SQL),
  ]);
  let events = 0;
  let oldest: number | null = null;
  let newest: number | null = null;
  for (const row of sources.rows) {
    events += row.events;
    oldest = oldest === null ? row.oldest : Math.min(oldest, row.oldest);
    newest = newest === null ? row.newest : Math.max(newest, row.newest);
  }
  return {
    events,
    oldestEvent: isoOrNull(oldest),
    newestEvent: isoOrNull(newest),
    bySource: sources.rows.map((row) => ({
      source: row.source,
      events: row.events,
      newestEvent: isoOrNull(row.newest),
      lastStoredAt: isoOrNull(row.last_stored),
    })),
    sizeBytes: size.rows[0]?.bytes ?? null,
  };
}

/**
 * Everyone who acted in the tenant (as user or as impersonator), named by the latest displayName of
 * the `user` entity with that key. Distinct actors come from a skip-scan of events_by_actor (one
 * index seek per actor, not one step per event); impersonators from their small partial index.
 */
const ACTORS_SQL = `
WITH RECURSIVE actor_ids(id) AS (
  SELECT min(audit_user_id) FROM events WHERE customer_id = $1 AND audit_user_id IS NOT NULL
  UNION ALL
  SELECT (SELECT min(audit_user_id) FROM events WHERE customer_id = $1 AND audit_user_id > actor_ids.id)
  FROM actor_ids WHERE actor_ids.id IS NOT NULL
),
ids(id) AS (
  SELECT id FROM actor_ids WHERE id IS NOT NULL
  UNION
  SELECT DISTINCT impersonator FROM events WHERE customer_id = $1 AND impersonator IS NOT NULL
)
SELECT ids.id, (
  SELECT u.display_name FROM events AS u
  WHERE u.customer_id = $1 AND u.entity_key = ids.id AND u.entity_type_key = 'user' AND u.display_name IS NOT NULL
  ORDER BY u.ts DESC, u.id DESC LIMIT 1
) AS name
FROM ids`;

export async function tenantActors(pool: pg.Pool, customerId: string): Promise<KnownActor[]> {
  const result = await pool.query<KnownActor>(ACTORS_SQL, [customerId]);
  return result.rows.sort(compareActors);
}

interface FacetRow {
  field: string;
  value: string;
}

const FACET_LISTS: Record<string, keyof StoreFacets> = {
  service: 'services',
  entityType: 'entityTypes',
  region: 'regions',
  accessMethod: 'accessMethods',
};

/**
 * The tenant's pick-lists from tenant_values (kept by a trigger on append). Entity types differing
 * only in case or separators are one facet (`RingGroup`), shown in their smallest spelling.
 */
export async function tenantFacets(pool: pg.Pool, customerId: string): Promise<StoreFacets> {
  const result = await pool.query<FacetRow>('SELECT field, value FROM tenant_values WHERE customer_id = $1', [
    customerId,
  ]);
  const lists: Record<keyof StoreFacets, Set<string>> = {
    services: new Set(),
    entityTypes: new Set(),
    regions: new Set(),
    accessMethods: new Set(),
  };
  const entityTypes = new Map<string, string>();
  for (const row of result.rows) {
    const list = FACET_LISTS[row.field];
    if (list === 'entityTypes') {
      const key = entityTypeKey(row.value);
      const known = entityTypes.get(key);
      if (known === undefined || row.value < known) entityTypes.set(key, row.value);
    } else if (list) lists[list].add(row.value);
  }
  const sorted = (values: Iterable<string>) => [...values].sort();
  return {
    services: sorted(lists.services),
    entityTypes: sorted(entityTypes.values()),
    regions: sorted(lists.regions),
    accessMethods: sorted(lists.accessMethods),
  };
}
