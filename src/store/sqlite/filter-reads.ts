import type Database from 'better-sqlite3';
import type { EventFilter } from '../../domain/event-filter.js';
import { searchTerms } from '../../domain/search-words.js';
import { QUERY_DEADLINE_MS, queryTooBroad } from '../query-deadline.js';
import {
  buildCountSql,
  buildSearchSql,
  DEADLINE_FUNCTION,
  ftsPhrase,
  RARE_TEXT_MATCHES,
  TEXT_PLAN_PROBE_SQL,
  type TextMatch,
  type TextPlan,
} from './filter-sql.js';
import type { EventRow } from './rows.js';
import type { StatementCache } from './statements.js';
import { dayOf, expandWord, MAX_EXPANDED_WORDS, SEQ_DAYS_SQL, textSlices } from './text-slices.js';

/** Thrown by the deadline check inside a statement; becomes queryTooBroad. */
class DeadlinePassed extends Error {}

/** A free-text term that no stored word begins with: nothing can match. */
const NO_MATCH = Symbol('no match');

/** How one filter's free text runs: its plan and its words, worked out once per call. */
export interface TextRun {
  plan: TextPlan;
  text: TextMatch | typeof NO_MATCH | undefined;
}

/**
 * Rows we may insert before a text plan is probed again. A plan only decides speed, never results,
 * and every command writes an access event: probing after each write (~2 ms for a common word at a
 * million events) would redo it for every free-text command.
 */
const TEXT_PLAN_REFRESH_ROWS = RARE_TEXT_MATCHES / 2;

interface KnownTextPlan {
  plan: TextPlan;
  /** Rows inserted so far and PRAGMA data_version when probed. */
  insertedAt: number;
  dataVersion: number;
}

/**
 * The SQLite store's reads of a filter, free text included: a rare word goes through its FTS
 * matches (`fts-first`); a common one walks the window a few stored days at a time, newest first,
 * its words spelled out from the FTS vocabulary (text-slices.ts explains both).
 */
export class SqliteFilterReads {
  private readonly plans = new Map<string, KnownTextPlan>();
  private inserted = 0;

  /** When the statement under way must stop (QUERY_DEADLINE_MS after its read began). */
  private deadlineAt = Number.POSITIVE_INFINITY;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: StatementCache,
    private readonly deadlineMs = QUERY_DEADLINE_MS,
  ) {
    // better-sqlite3 cannot interrupt a statement from outside; a row check inside it can end it.
    db.function(DEADLINE_FUNCTION, { deterministic: false }, () => {
      if (Date.now() >= this.deadlineAt) throw new DeadlinePassed();
      return 1;
    });
  }

  /**
   * Runs one read (its statements together) within QUERY_DEADLINE_MS, or fails as too broad. Reads
   * nested inside another share its deadline: a command's page and count together take at most it.
   */
  bounded<T>(read: () => T): T {
    if (this.deadlineAt !== Number.POSITIVE_INFINITY) return read();
    this.deadlineAt = Date.now() + this.deadlineMs;
    try {
      return read();
    } catch (error) {
      if (error instanceof DeadlinePassed) throw queryTooBroad(this.deadlineMs, error);
      throw error;
    } finally {
      this.deadlineAt = Number.POSITIVE_INFINITY;
    }
  }

  /** Our own inserts, which age remembered plans (another connection's writes show in data_version). */
  noteInserted(rows: number): void {
    this.inserted += rows;
  }

  forgetPlans(): void {
    this.plans.clear();
  }

  textRun(filter: EventFilter): TextRun {
    const text = this.textMatch(filter);
    return { plan: text && text !== NO_MATCH ? this.textPlan(text.expression) : 'index-first', text };
  }

  /** Up to `limit + 1` rows of the filter, newest first, from `cursor` on. */
  pageRows(filter: EventFilter, limit: number, cursor: string | null, run: TextRun): EventRow[] {
    return this.bounded(() => this.unboundedPageRows(filter, limit, cursor, run));
  }

  private unboundedPageRows(filter: EventFilter, limit: number, cursor: string | null, { plan, text }: TextRun) {
    if (text === NO_MATCH) return [];
    if (plan === 'fts-first' || !text) {
      const query = buildSearchSql(filter, limit, cursor, plan, text, true);
      return this.statements.raw(query.sql).all(query.params) as EventRow[];
    }
    const rows: EventRow[] = [];
    for (const slice of this.slices(filter, text)) {
      const query = buildSearchSql(slice.filter, limit - rows.length, cursor, plan, slice.text, true);
      rows.push(...(this.statements.raw(query.sql).all(query.params) as EventRow[]));
      if (rows.length > limit) break;
    }
    return rows;
  }

  /** Matches of the filter, counted up to `limit` when given. */
  count(filter: EventFilter, limit: number | undefined, run: TextRun): number {
    return this.bounded(() => this.unboundedCount(filter, limit, run));
  }

  private unboundedCount(filter: EventFilter, limit: number | undefined, { plan, text }: TextRun): number {
    if (text === NO_MATCH) return 0;
    if (plan === 'fts-first' || !text) {
      const query = buildCountSql(filter, plan, limit, text, true);
      return this.statements.pluck(query.sql).get(query.params) as number;
    }
    let total = 0;
    for (const slice of this.slices(filter, text)) {
      const query = buildCountSql(
        slice.filter,
        plan,
        limit === undefined ? undefined : limit - total,
        slice.text,
        true,
      );
      total += this.statements.pluck(query.sql).get(query.params) as number;
      if (limit !== undefined && total >= limit) break;
    }
    return total;
  }

  /** The free-text condition with each term spelled out as words; NO_MATCH when a term matches none. */
  private textMatch(filter: EventFilter): TextMatch | typeof NO_MATCH | undefined {
    const terms = searchTerms(filter.text ?? []);
    if (terms.length === 0) return undefined;
    const vocabulary = this.statements.pluck(
      `SELECT term FROM events_fts_vocab WHERE term >= ? AND term < ? LIMIT ${MAX_EXPANDED_WORDS + 1}`,
    );
    const expressions: string[] = [];
    for (const term of terms) {
      const [word] = term;
      const expression =
        term.length === 1 && word !== undefined
          ? expandWord(word, (from, to) => vocabulary.all(from, to) as string[])
          : ftsPhrase(term);
      if (expression === null) return NO_MATCH;
      expressions.push(expression);
    }
    return { expression: expressions.join(' AND ') };
  }

  /** The filter over each slice of stored days, newest first, with the slice's seq range. */
  private *slices(filter: EventFilter, text: TextMatch): Generator<{ filter: EventFilter; text: TextMatch }> {
    const { start, end } = filter.range;
    if (end <= start) return;
    const days = this.statements.raw(SEQ_DAYS_SQL).all(filter.customerId, dayOf(start), dayOf(end - 1)) as [
      number,
      number,
      number,
    ][];
    const slices = textSlices(
      filter.range,
      days.map(([day, minSeq, maxSeq]) => ({ day, minSeq, maxSeq })),
    );
    for (const slice of slices) {
      yield {
        filter: { ...filter, range: slice.range },
        text: { expression: text.expression, seqRange: { min: slice.minSeq, max: slice.maxSeq } },
      };
    }
  }

  /**
   * Probes how many events a text filter matches (capped), remembered until another connection
   * writes or we insert TEXT_PLAN_REFRESH_ROWS rows.
   */
  private textPlan(match: string): TextPlan {
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    const known = this.plans.get(match);
    if (known && known.dataVersion === dataVersion && this.inserted - known.insertedAt < TEXT_PLAN_REFRESH_ROWS) {
      return known.plan;
    }
    const matches = this.statements.pluck(TEXT_PLAN_PROBE_SQL).get(match) as number;
    const plan: TextPlan = matches < RARE_TEXT_MATCHES ? 'fts-first' : 'index-first';
    if (this.plans.size >= 1000) this.plans.clear();
    this.plans.set(match, { plan, insertedAt: this.inserted, dataVersion });
    return plan;
  }
}
