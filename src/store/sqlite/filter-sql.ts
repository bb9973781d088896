import type { ValueFilter } from '../../domain/audit-query.js';
import type { EventFilter } from '../../domain/event-filter.js';
import { searchTerms } from '../../domain/search-words.js';
import { type CursorPosition, decodeCursor } from '../cursor.js';
import { VALUE_COLUMNS, type ValueColumn } from '../filter-columns.js';
import { EVENT_COLUMNS } from './rows.js';

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/**
 * How a free-text search runs. `fts-first`: fetch the (few) matching rowids from the FTS index, look
 * each event up and sort them — best for rare terms. `index-first`: walk a customer/time index newest
 * first and keep rows found in the match set — best when most events match. SQLite cannot tell the
 * two apart (FTS5 gives the planner no match estimate), so the store probes (see textPlanProbeSql).
 */
export type TextPlan = 'fts-first' | 'index-first';

/** Up to this many matches (over all tenants), a search runs `fts-first`. */
export const RARE_TEXT_MATCHES = 2000;

/** Counts matches of an FTS expression, stopping at RARE_TEXT_MATCHES. */
export const TEXT_PLAN_PROBE_SQL = `SELECT count(*) FROM (SELECT rowid FROM events_fts WHERE events_fts MATCH ? LIMIT ${RARE_TEXT_MATCHES})`;

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
 * An FTS5 MATCH expression in which every term must occur: each term's words (src/domain/search-words.ts)
 * as one quoted phrase, its last word a prefix (`ring` finds `ringgroup`, `"name 1"*` finds `name 12`
 * side by side in one column). Words hold only letters and digits, so nothing in user text can be
 * read as FTS syntax (`NEAR(`, `-`, `:`, `*`, `AND`, `"`). Null when no term has a word.
 */
export function ftsMatchExpression(terms: readonly string[]): string | null {
  const phrases = searchTerms(terms).map(ftsPhrase);
  return phrases.length === 0 ? null : phrases.join(' AND ');
}

/** A term's words as an FTS5 prefix phrase. */
export function ftsPhrase(words: readonly string[]): string {
  return `"${words.join(' ')}"*`;
}

/**
 * The WHERE clause (without the keyword) of a filter; user values only ever travel as parameters.
 * `before` (a page cursor) also lowers the range's upper bound: SQLite does not use the row-value
 * comparison to start the index walk, so without it every page would rescan the newer pages.
 */
/** A text condition worked out by the store: the MATCH expression, and for a slice its seq range. */
export interface TextMatch {
  expression: string;
  seqRange?: { min: number; max: number };
}

/**
 * A per-row check that aborts the statement past its deadline (SqliteFilterReads registers it; the
 * benchmark's raw SQL goes without). Last in the WHERE clause, so rows the indexes rule out never
 * pay for it.
 */
export const DEADLINE_FUNCTION = 'auditbot_within_deadline';

export function buildWhere(
  filter: EventFilter,
  before?: CursorPosition,
  textPlan: TextPlan = 'index-first',
  text?: TextMatch,
  guarded = false,
): SqlQuery {
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
  const match = text?.expression ?? (filter.text ? ftsMatchExpression(filter.text) : null);
  if (match !== null) {
    // `+seq` stops SQLite from driving by rowid from the match set (planner statistics make it try).
    const column = textPlan === 'fts-first' ? 'seq' : '+seq';
    // CAST: better-sqlite3 binds a JS number as REAL, and FTS5 only seeks to an INTEGER rowid bound
    // (with a REAL one it reads the word's whole list and filters: 3.4 ms instead of 0.8 here).
    const range = text?.seqRange ? ' AND rowid BETWEEN CAST(? AS INTEGER) AND CAST(? AS INTEGER)' : '';
    conditions.push(`${column} IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?${range})`);
    params.push(match);
    if (text?.seqRange) params.push(text.seqRange.min, text.seqRange.max);
  }
  if (guarded) conditions.push(`${DEADLINE_FUNCTION}()`);
  return { sql: conditions.join(' AND '), params };
}

/**
 * One page of a search, newest first, as SQL and parameters: LIMIT is `limit + 1` so the caller
 * learns whether an older page exists. Exported so benchmarks can run the same SQL raw.
 */
export function buildSearchSql(
  filter: EventFilter,
  limit: number,
  cursor?: string | null,
  textPlan: TextPlan = 'index-first',
  text?: TextMatch,
  guarded = false,
): SqlQuery {
  const where = buildWhere(filter, cursor ? decodeCursor(cursor) : undefined, textPlan, text, guarded);
  where.params.push(limit + 1);
  return {
    sql: `SELECT ${EVENT_COLUMNS} FROM ${fromClause(where, textPlan)} WHERE ${where.sql} ORDER BY ts DESC, id DESC LIMIT ?`,
    params: where.params,
  };
}

/** NOT INDEXED leaves SQLite one way in for `fts-first`: rowid lookups of the FTS matches. */
function fromClause(where: SqlQuery, textPlan: TextPlan): string {
  return textPlan === 'fts-first' && where.sql.includes('events_fts') ? 'events NOT INDEXED' : 'events';
}

export function buildCountSql(
  filter: EventFilter,
  textPlan: TextPlan = 'index-first',
  limit?: number,
  text?: TextMatch,
  guarded = false,
): SqlQuery {
  const where = buildWhere(filter, undefined, textPlan, text, guarded);
  if (limit === undefined) {
    return { sql: `SELECT count(*) FROM ${fromClause(where, textPlan)} WHERE ${where.sql}`, params: where.params };
  }
  return {
    sql: `SELECT count(*) FROM (SELECT 1 FROM ${fromClause(where, textPlan)} WHERE ${where.sql} LIMIT ?)`,
    params: [...where.params, limit],
  };
}
