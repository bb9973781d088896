import { entityTypeKey } from '../domain/audit-event.js';
import type { EventFilter } from '../domain/event-filter.js';

/** One list-valued EventFilter field and the events column it constrains, shared by both stores' SQL. */
export interface ValueColumn {
  field: keyof EventFilter;
  column: string;
  /** Nullable columns: excluding a value must keep the rows that have none. */
  nullable: boolean;
  normalise?: (value: string) => string;
}

export const VALUE_COLUMNS: readonly ValueColumn[] = [
  { field: 'eventTypes', column: 'event_type', nullable: false },
  { field: 'services', column: 'service', nullable: false },
  { field: 'entityTypes', column: 'entity_type_key', nullable: false, normalise: entityTypeKey },
  { field: 'regions', column: 'region', nullable: true },
  { field: 'entityKeys', column: 'entity_key', nullable: false },
  { field: 'actors', column: 'audit_user_id', nullable: true },
  { field: 'accessMethods', column: 'access_method', nullable: true },
  { field: 'correlationIds', column: 'correlation_id', nullable: true },
];
