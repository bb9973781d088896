import type { ValueFilter } from '../../domain/audit-query.js';
import type { EventFilter } from '../../domain/event-filter.js';
import { type CursorPosition, decodeCursor } from '../cursor.js';
import { VALUE_COLUMNS, type ValueColumn } from '../filter-columns.js';
import { EVENT_COLUMNS } from '../sqlite/rows.js';
import { textCondition } from './search-text.js';

export interface SqlQuery {
  text: string;
  values: unknown[];
}

/** Numbered parameters ($1, $2, …) in the order they are added. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Lists travel as one array parameter, so the SQL text (and its plan cache entry) never depends on their length. */
function addValueFilter(conditions: string[], params: Params, spec: ValueColumn, filter: ValueFilter): void {
  const include = spec.normalise ? filter.include.map(spec.normalise) : filter.include;
  const exclude = spec.normalise ? filter.exclude.map(spec.normalise) : filter.exclude;
  if (include.length === 1) conditions.push(`${spec.column} = ${params.add(include[0])}`);
  else if (include.length > 1) conditions.push(`${spec.column} = ANY(${params.add(include)}::text[])`);
  if (exclude.length > 0) {
    const notIn = `${spec.column} <> ALL(${params.add(exclude)}::text[])`;
    conditions.push(spec.nullable ? `(${spec.column} IS NULL OR ${notIn})` : notIn);
  }
}

/**
 * The WHERE clause (without the keyword) of a filter; user values only ever travel as parameters.
 * `before` (a page cursor) also lowers the range's upper bound, which prunes newer partitions and
 * starts each partition's index walk at the cursor.
 */
function buildWhere(filter: EventFilter, params: Params, before?: CursorPosition): string {
  const end = before ? Math.min(filter.range.end, before.ts + 1) : filter.range.end;
  const conditions = [
    `customer_id = ${params.add(filter.customerId)}`,
    `ts >= ${params.add(filter.range.start)}`,
    `ts < ${params.add(end)}`,
  ];
  if (before) conditions.push(`(ts, id) < (${params.add(before.ts)}, ${params.add(before.id)})`);
  for (const spec of VALUE_COLUMNS) {
    const values = filter[spec.field] as ValueFilter | undefined;
    if (values) addValueFilter(conditions, params, spec, values);
  }
  if (filter.impersonated !== undefined) {
    conditions.push(filter.impersonated ? 'impersonator IS NOT NULL' : 'impersonator IS NULL');
  }
  const text = filter.text ? textCondition(filter.text) : null;
  if (text === 'nothing') conditions.push('false');
  else if (text !== null) {
    conditions.push(`search @@ ${params.add(text.tsquery)}::tsquery`);
    // Only rows the index found are checked: words side by side in one field (search-text.ts).
    // NULL: stored before version 9 and not filled yet (search-lines-fill.ts) — its words must do.
    for (const run of text.runs) {
      conditions.push(`(search_words IS NULL OR strpos(search_words, ${params.add(run)}) > 0)`);
    }
  }
  return conditions.join(' AND ');
}

/**
 * One page of a search, newest first: LIMIT is `limit + 1` so the caller learns whether an older
 * page exists. Exported so the benchmark runs the very same SQL raw.
 */
export function buildSearchSql(filter: EventFilter, limit: number, cursor?: string | null): SqlQuery {
  const params = new Params();
  const where = buildWhere(filter, params, cursor ? decodeCursor(cursor) : undefined);
  const text = `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where} ORDER BY ts DESC, id DESC LIMIT ${params.add(limit + 1)}`;
  return { text, values: params.values };
}

/** Counts matches; with `limit`, stops after that many (a bounded index walk). */
export function buildCountSql(filter: EventFilter, limit?: number): SqlQuery {
  const params = new Params();
  const where = buildWhere(filter, params);
  if (limit === undefined) return { text: `SELECT count(*) FROM events WHERE ${where}`, values: params.values };
  return {
    text: `SELECT count(*) FROM (SELECT 1 FROM events WHERE ${where} LIMIT ${params.add(limit)}) AS bounded`,
    values: params.values,
  };
}
