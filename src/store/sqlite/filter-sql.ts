import { entityTypeKey } from '../../domain/audit-event.js';
import type { ValueFilter } from '../../domain/audit-query.js';
import type { EventFilter } from '../../domain/event-filter.js';
import { type CursorPosition, decodeCursor } from '../cursor.js';
import { EVENT_COLUMNS } from './rows.js';

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

interface ValueColumn {
  field: keyof EventFilter;
  column: string;
  /** Nullable columns: excluding a value must keep the rows that have none. */
  nullable: boolean;
  normalise?: (value: string) => string;
}

const VALUE_COLUMNS: readonly ValueColumn[] = [
  { field: 'eventTypes', column: 'event_type', nullable: false },
  { field: 'services', column: 'service', nullable: false },
  { field: 'entityTypes', column: 'entity_type_key', nullable: false, normalise: entityTypeKey },
  { field: 'regions', column: 'region', nullable: true },
  { field: 'entityKeys', column: 'entity_key', nullable: false },
  { field: 'actors', column: 'audit_user_id', nullable: true },
  { field: 'accessMethods', column: 'access_method', nullable: true },
  { field: 'correlationIds', column: 'correlation_id', nullable: true },
];

function placeholders(count: number): string {
  return count === 1 ? '?' : `?${', ?'.repeat(count - 1)}`;
}

function addValueFilter(conditions: string[], params: unknown[], spec: ValueColumn, filter: ValueFilter): void {
  const include = spec.normalise ? filter.include.map(spec.normalise) : filter.include;
  const exclude = spec.normalise ? filter.exclude.map(spec.normalise) : filter.exclude;
  if (include.length === 1) conditions.push(`${spec.column} = ?`);
  else if (include.length > 1) conditions.push(`${spec.column} IN (${placeholders(include.length)})`);
  params.push(...include);
  if (exclude.length > 0) {
    const notIn = `${spec.column} NOT IN (${placeholders(exclude.length)})`;
    conditions.push(spec.nullable ? `(${spec.column} IS NULL OR ${notIn})` : notIn);
    params.push(...exclude);
  }
}

/**
 * An FTS5 MATCH expression in which every term must occur, each as a quoted phrase with a prefix
 * star (`ring` finds `ringgroup`). Quoting (with `"` doubled) makes FTS operators in user text
 * (`NEAR(`, `-`, `:`, `*`, `AND`) plain words. Terms without a letter or digit cannot match a token
 * and are dropped rather than making the whole search empty. Null when no term is left.
 */
export function ftsMatchExpression(terms: readonly string[]): string | null {
  const phrases = terms.filter((term) => /[\p{L}\p{N}]/u.test(term)).map((term) => `"${term.replaceAll('"', '""')}"*`);
  return phrases.length === 0 ? null : phrases.join(' AND ');
}

/**
 * The WHERE clause (without the keyword) of a filter; user values only ever travel as parameters.
 * `before` (a page cursor) also lowers the range's upper bound: SQLite does not use the row-value
 * comparison to start the index walk, so without it every page would rescan the newer pages.
 */
export function buildWhere(filter: EventFilter, before?: CursorPosition): SqlQuery {
  const end = before ? Math.min(filter.range.end, before.ts + 1) : filter.range.end;
  const conditions = ['customer_id = ?', 'ts >= ?', 'ts < ?'];
  const params: unknown[] = [filter.customerId, filter.range.start, end];
  if (before) {
    conditions.push('(ts, id) < (?, ?)');
    params.push(before.ts, before.id);
  }
  for (const spec of VALUE_COLUMNS) {
    const values = filter[spec.field] as ValueFilter | undefined;
    if (values) addValueFilter(conditions, params, spec, values);
  }
  if (filter.impersonated !== undefined) {
    conditions.push(filter.impersonated ? 'impersonator IS NOT NULL' : 'impersonator IS NULL');
  }
  const match = filter.text ? ftsMatchExpression(filter.text) : null;
  if (match !== null) {
    conditions.push('seq IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)');
    params.push(match);
  }
  return { sql: conditions.join(' AND '), params };
}

/**
 * One page of a search, newest first, as SQL and parameters: LIMIT is `limit + 1` so the caller
 * learns whether an older page exists. Exported so benchmarks can run the same SQL raw.
 */
export function buildSearchSql(filter: EventFilter, limit: number, cursor?: string | null): SqlQuery {
  const where = buildWhere(filter, cursor ? decodeCursor(cursor) : undefined);
  where.params.push(limit + 1);
  return {
    sql: `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where.sql} ORDER BY ts DESC, id DESC LIMIT ?`,
    params: where.params,
  };
}

export function buildCountSql(filter: EventFilter): SqlQuery {
  const where = buildWhere(filter);
  return { sql: `SELECT count(*) FROM events WHERE ${where.sql}`, params: where.params };
}
