import Database from 'better-sqlite3';
import type { AuditEvent, EntityRef } from '../../domain/audit-event.js';
import { entityTypeKey } from '../../domain/audit-event.js';
import type { EventFilter } from '../../domain/event-filter.js';
import type { AlertOutbox, SequencedEvent } from '../alert-outbox.js';
import { encodeCursor } from '../cursor.js';
import type {
  AppendOutcome,
  AppendResult,
  CountedPage,
  EventStore,
  KnownActor,
  SearchOptions,
  SearchPage,
  StoreFacets,
  StoreStats,
} from '../event-store.js';
import { createExclusiveRunner, type ExclusiveOptions, type ExclusiveOutcome } from '../exclusive.js';
import { assertPositiveInteger, streamPages } from '../paging.js';
import { createSqliteAlertOutbox } from './alert-outbox.js';
import {
  buildCountSql,
  buildSearchSql,
  RARE_TEXT_MATCHES,
  TEXT_PLAN_PROBE_SQL,
  type TextMatch,
  type TextPlan,
} from './filter-sql.js';
import { applyMigrations } from './migrations.js';
import {
  EVENT_COLUMNS,
  type EventRow,
  eventToInsertParams,
  ftsParams,
  INSERT_EVENT_SQL,
  INSERT_FTS_SQL,
  rowToEvent,
} from './rows.js';
import { StatementCache } from './statements.js';
import { tenantActors, tenantFacets, tenantStats } from './tenant-summary.js';
import { INSERT_TENANT_VALUE_SQL, rebuildTenantValues, TenantValueSet } from './tenant-values.js';
import {
  dayOf,
  expandTerm,
  MAX_EXPANDED_WORDS,
  SEQ_DAYS_SQL,
  SeqDayRanges,
  type TextSlice,
  textSlices,
  UPSERT_SEQ_DAY_SQL,
} from './text-slices.js';

/** A free-text term that no stored word begins with: nothing can match. */
const NO_MATCH = Symbol('no match');

/**
 * SQLite hands out max(seq) + 1, so a prune that deletes the highest seq would let the next event
 * take a seq the alert matcher has already passed, and it would never alert. Prune records the
 * highest seq ever handed out here first; an insert that gets a seq at or below it is moved above.
 */
const SEQ_FLOOR_KEY = 'store:seq-floor';

/** Rows deleted per prune transaction: short write locks, so ingest is never starved by a big prune. */
const PRUNE_CHUNK = 5000;

const EVENTS_AFTER_SQL = `SELECT seq, ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`;
const GET_SQL = `SELECT ${EVENT_COLUMNS} FROM events WHERE customer_id = ? AND id = ?`;
// A walk down events_by_entity from `before`; `ts <= ?` bounds the index range (see buildWhere).
const PREVIOUS_STATE_SQL =
  `SELECT ${EVENT_COLUMNS} FROM events WHERE customer_id = ? AND entity_key = ? AND entity_type_key = ? ` +
  'AND service = ? AND ts <= ? AND (ts, id) < (?, ?) ORDER BY ts DESC, id DESC LIMIT 1';

/**
 * Opens (creating if needed) a SQLite database file, or `:memory:`, and brings its schema up to date.
 * WAL lets readers run beside the single writer; synchronous=NORMAL is durable across process
 * crashes in WAL mode and much faster than FULL; the busy timeout rides out another process's write.
 */
export function openSqliteDatabase(path: string): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    // Imports touch five indexes plus FTS at random spots; a 64 MB page cache keeps them warm.
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    // Checkpoints are where WAL mode pays for durability (an fsync of the database file); letting the
    // WAL reach ~40 MB before one, instead of 4 MB, made imports 1.6× faster on this machine's disk.
    db.pragma('wal_autocheckpoint = 10000');
    applyMigrations(db);
    refreshPlannerStatistics(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Which index serves a filter depends on how selective each column is (one actor among hundreds vs
 * `update` among a handful of event types); without sqlite_stat1 the planner guesses and tends to
 * walk the time index for everything. `PRAGMA optimize` re-analyses only tables whose size changed
 * tenfold since their last analysis. Sampling 20,000 rows per index (~0.7 s on this machine) keeps it
 * bounded; 1,000 under-estimated a tenant's row count so badly the time index won every plan.
 */
function refreshPlannerStatistics(db: Database.Database): void {
  db.pragma('analysis_limit = 20000');
  db.pragma('optimize = 0x10002');
}

/** Inserted rows after which append refreshes planner statistics (a no-op unless the size changed 10×). */
const OPTIMIZE_EVERY = 50_000;

/**
 * Rows we may insert before a text plan is probed again. A plan only decides speed, never results,
 * and every command writes an access event: probing after each write (~2 ms for a common word at a
 * million events) would redo it for every free-text command.
 */
const TEXT_PLAN_REFRESH_ROWS = RARE_TEXT_MATCHES / 2;

interface KnownTextPlan {
  plan: TextPlan;
  /** insertedTotal and PRAGMA data_version when probed. */
  insertedAt: number;
  dataVersion: number;
}

export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  private readonly statements: StatementCache;
  private readonly insertBatch: (rows: unknown[][]) => AppendOutcome[];
  private insertedSinceOptimize = 0;
  private insertedTotal = 0;
  private readonly textPlans = new Map<string, KnownTextPlan>();
  /** Bumped by our own writes; PRAGMA data_version covers other connections' (another process). */
  private ownWrites = 0;
  private summaryVersion = '';
  private readonly summaries = new Map<string, unknown>();
  readonly alertOutbox: AlertOutbox;
  private readonly exclusive = createExclusiveRunner();
  /** The highest seq a prune may have freed (see SEQ_FLOOR_KEY). */
  private seqFloor: number;

  constructor(private readonly db: Database.Database) {
    this.statements = new StatementCache(db);
    this.alertOutbox = createSqliteAlertOutbox(db, this.statements);
    const insertEvent = db.prepare(INSERT_EVENT_SQL);
    const insertFts = db.prepare(INSERT_FTS_SQL);
    const insertValue = db.prepare(INSERT_TENANT_VALUE_SQL);
    const upsertSeqDay = db.prepare(UPSERT_SEQ_DAY_SQL);
    const moveSeq = db.prepare('UPDATE events SET seq = ? WHERE seq = ?');
    const floorValue = db.prepare('SELECT value FROM kv WHERE key = ?').pluck().get(SEQ_FLOOR_KEY) as
      | string
      | undefined;
    this.seqFloor = floorValue === undefined ? 0 : Number(JSON.parse(floorValue));
    // INSERT OR IGNORE skips a row clashing on (customer_id, id) or (customer_id, fingerprint),
    // earlier rows of the same batch included; `changes` tells which happened.
    this.insertBatch = db.transaction((rows: unknown[][]) => {
      const values = new TenantValueSet();
      const days = new SeqDayRanges();
      const outcomes = rows.map((row): AppendOutcome => {
        const result = insertEvent.run(row);
        if (result.changes !== 1) return 'duplicate';
        let seq = Number(result.lastInsertRowid);
        if (seq <= this.seqFloor) {
          // Rare (the first insert after pruning the newest events); later inserts follow from here.
          moveSeq.run(this.seqFloor + 1, seq);
          seq = this.seqFloor + 1;
        }
        insertFts.run(ftsParams(seq, row));
        values.addRow(row);
        days.add(row[0] as string, row[2] as number, seq);
        return 'inserted';
      });
      for (const value of values) insertValue.run(value);
      for (const day of days) upsertSeqDay.run(day);
      return outcomes;
    });
  }

  async append(events: readonly AuditEvent[]): Promise<AppendResult> {
    const storedAt = Date.now();
    const rows = events.map((event, index) => {
      const row = eventToInsertParams(event, index);
      row.push(storedAt);
      return row;
    });
    const outcomes = rows.length === 0 ? [] : this.insertBatch(rows);
    let inserted = 0;
    for (const outcome of outcomes) if (outcome === 'inserted') inserted += 1;
    if (inserted > 0) this.ownWrites += 1;
    this.insertedSinceOptimize += inserted;
    this.insertedTotal += inserted;
    if (this.insertedSinceOptimize >= OPTIMIZE_EVERY) {
      this.insertedSinceOptimize = 0;
      refreshPlannerStatistics(this.db);
    }
    return { inserted, duplicate: outcomes.length - inserted, outcomes };
  }

  async search(filter: EventFilter, options: SearchOptions): Promise<SearchPage> {
    return this.searchPage(filter, options.limit, options.cursor ?? null);
  }

  private searchPage(filter: EventFilter, limit: number, cursor: string | null): SearchPage {
    return this.pageWith(filter, limit, cursor, this.textOf(filter));
  }

  /** How a filter's free text runs: its plan and its words (worked out once per call). */
  private textOf(filter: EventFilter): { plan: TextPlan; text: TextMatch | typeof NO_MATCH | undefined } {
    const text = this.textMatch(filter);
    return { plan: text && text !== NO_MATCH ? this.textPlan(text.expression) : 'index-first', text };
  }

  private pageWith(
    filter: EventFilter,
    limit: number,
    cursor: string | null,
    { plan, text }: ReturnType<SqliteEventStore['textOf']>,
  ): SearchPage {
    assertPositiveInteger(limit, 'limit');
    if (text === NO_MATCH) return { events: [], nextCursor: null };
    if (plan === 'fts-first' || !text) {
      const query = buildSearchSql(filter, limit, cursor, plan, text);
      return this.pageOf(this.statements.raw(query.sql).all(query.params) as EventRow[], limit);
    }
    // A common word: slice by slice, newest first, until the page (and one more row) is full.
    const rows: EventRow[] = [];
    for (const slice of this.slices(filter)) {
      const query = buildSearchSql({ ...filter, range: slice.range }, limit - rows.length, cursor, plan, {
        expression: text.expression,
        seqRange: { min: slice.minSeq, max: slice.maxSeq },
      });
      rows.push(...(this.statements.raw(query.sql).all(query.params) as EventRow[]));
      if (rows.length > limit) break;
    }
    return this.pageOf(rows, limit);
  }

  /** The free-text condition with each term spelled out as words; NO_MATCH when a term matches none. */
  private textMatch(filter: EventFilter): TextMatch | typeof NO_MATCH | undefined {
    const terms = (filter.text ?? []).filter((term) => /[\p{L}\p{N}]/u.test(term));
    if (terms.length === 0) return undefined;
    const vocabulary = this.statements.pluck(
      `SELECT term FROM events_fts_vocab WHERE term >= ? AND term < ? LIMIT ${MAX_EXPANDED_WORDS + 1}`,
    );
    const expressions: string[] = [];
    for (const term of terms) {
      const expression = expandTerm(term, (from, to) => vocabulary.all(from, to) as string[]);
      if (expression === null) return NO_MATCH;
      expressions.push(expression);
    }
    return { expression: expressions.join(' AND ') };
  }

  /** The filter's window in slices of stored days, newest first (see text-slices.ts). */
  private slices(filter: EventFilter): TextSlice[] {
    const { start, end } = filter.range;
    if (end <= start) return [];
    const days = this.statements.raw(SEQ_DAYS_SQL).all(filter.customerId, dayOf(start), dayOf(end - 1)) as [
      number,
      number,
      number,
    ][];
    return textSlices(
      filter.range,
      days.map(([day, minSeq, maxSeq]) => ({ day, minSeq, maxSeq })),
    );
  }

  /** Up to `limit + 1` rows, newest first → a page and the cursor to the next. */
  private pageOf(rows: EventRow[], limit: number): SearchPage {
    const hasMore = rows.length > limit;
    const pageRows = hasMore ? rows.slice(0, limit) : rows;
    const events = pageRows.map(rowToEvent);
    const last = pageRows[pageRows.length - 1];
    return { events, nextCursor: hasMore && last ? encodeCursor({ ts: last[2], id: last[0] }) : null };
  }

  async count(filter: EventFilter, options: { limit?: number } = {}): Promise<number> {
    if (options.limit !== undefined) assertPositiveInteger(options.limit, 'limit');
    return this.countWith(filter, options.limit, this.textOf(filter));
  }

  private countWith(
    filter: EventFilter,
    limit: number | undefined,
    { plan, text }: ReturnType<SqliteEventStore['textOf']>,
  ): number {
    if (text === NO_MATCH) return 0;
    if (plan === 'fts-first' || !text) {
      const query = buildCountSql(filter, plan, limit, text);
      return this.statements.pluck(query.sql).get(query.params) as number;
    }
    let total = 0;
    for (const slice of this.slices(filter)) {
      const remaining = limit === undefined ? undefined : limit - total;
      const query = buildCountSql({ ...filter, range: slice.range }, plan, remaining, {
        expression: text.expression,
        seqRange: { min: slice.minSeq, max: slice.maxSeq },
      });
      total += this.statements.pluck(query.sql).get(query.params) as number;
      if (limit !== undefined && total >= limit) break;
    }
    return total;
  }

  async searchCounted(filter: EventFilter, options: SearchOptions & { countLimit: number }): Promise<CountedPage> {
    assertPositiveInteger(options.countLimit, 'countLimit');
    const cursor = options.cursor ?? null;
    const text = this.textOf(filter);
    const page = this.pageWith(filter, options.limit, cursor, text);
    // A first page with no page after it holds every match: nothing left to count.
    if (cursor === null && page.nextCursor === null) {
      return { page, count: Math.min(page.events.length, options.countLimit) };
    }
    return { page, count: this.countWith(filter, options.countLimit, text) };
  }

  async get(customerId: string, id: string): Promise<AuditEvent | null> {
    const row = this.statements.raw(GET_SQL).get(customerId, id) as EventRow | undefined;
    return row ? rowToEvent(row) : null;
  }

  async previousState(
    entity: EntityRef,
    before: Pick<AuditEvent, 'id' | 'auditTimestamp'>,
  ): Promise<AuditEvent | null> {
    const ts = Date.parse(before.auditTimestamp);
    const row = this.statements
      .raw(PREVIOUS_STATE_SQL)
      .get(entity.customerId, entity.entityKey, entityTypeKey(entity.entityType), entity.service, ts, ts, before.id) as
      | EventRow
      | undefined;
    return row ? rowToEvent(row) : null;
  }

  stream(filter: EventFilter, options: { batchSize?: number } = {}): AsyncIterable<AuditEvent> {
    return streamPages((cursor, limit) => this.searchPage(filter, limit, cursor), options.batchSize);
  }

  async prune(olderThan: number, customerId?: string): Promise<number> {
    const chunk =
      customerId === undefined
        ? this.statements.plain(`DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE ts < ? LIMIT ?)`)
        : this.statements.plain(
            `DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE customer_id = ? AND ts < ? LIMIT ?)`,
          );
    const params = customerId === undefined ? [olderThan, PRUNE_CHUNK] : [customerId, olderThan, PRUNE_CHUNK];
    const latest = this.statements.pluck('SELECT coalesce(max(seq), 0) FROM events').get() as number;
    if (latest > this.seqFloor) {
      this.seqFloor = latest;
      await this.setState(SEQ_FLOOR_KEY, latest);
    }
    let deleted = 0;
    for (;;) {
      // The FTS delete trigger runs inside each statement's own transaction.
      const { changes } = chunk.run(params);
      deleted += changes;
      if (changes > 0) this.ownWrites += 1;
      if (changes < PRUNE_CHUNK) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (deleted > 0) {
      rebuildTenantValues(this.db, customerId);
      // Days wholly before the cutoff are empty now; the day it falls in keeps its (wider) range.
      // Only days left empty: another process may have stored an old event since.
      const days = customerId === undefined ? '' : ' AND customer_id = ?';
      this.statements
        .plain(
          `DELETE FROM seq_days WHERE day < ?${days} AND NOT EXISTS (SELECT 1 FROM events e WHERE ` +
            'e.customer_id = seq_days.customer_id AND e.ts >= seq_days.day * 86400000 AND e.ts < (seq_days.day + 1) * 86400000)',
        )
        .run(...(customerId === undefined ? [dayOf(olderThan)] : [dayOf(olderThan), customerId]));
      this.textPlans.clear();
    }
    return deleted;
  }

  async stats(customerId: string): Promise<StoreStats> {
    return this.summary(`stats:${customerId}`, () => tenantStats(this.db, this.statements, customerId));
  }

  async actors(customerId: string): Promise<KnownActor[]> {
    return this.summary(`actors:${customerId}`, () => tenantActors(this.statements, customerId));
  }

  async facets(customerId: string): Promise<StoreFacets> {
    return tenantFacets(this.statements, customerId);
  }

  /**
   * Probes how many events a text filter matches (capped), remembered until another connection
   * writes or we insert TEXT_PLAN_REFRESH_ROWS rows.
   */
  private textPlan(match: string): TextPlan {
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    const known = this.textPlans.get(match);
    if (known && known.dataVersion === dataVersion && this.insertedTotal - known.insertedAt < TEXT_PLAN_REFRESH_ROWS) {
      return known.plan;
    }
    const matches = this.statements.pluck(TEXT_PLAN_PROBE_SQL).get(match) as number;
    const plan: TextPlan = matches < RARE_TEXT_MATCHES ? 'fts-first' : 'index-first';
    if (this.textPlans.size >= 1000) this.textPlans.clear();
    this.textPlans.set(match, { plan, insertedAt: this.insertedTotal, dataVersion });
    return plan;
  }

  /**
   * Tenant summaries scan a tenant's rows (hundreds of ms at a million events) but change only when
   * events are written, so they are kept until the next write by anyone. Callers get a copy.
   */
  private summary<T>(key: string, compute: () => T): T {
    const version = `${this.db.pragma('data_version', { simple: true })}:${this.ownWrites}`;
    if (version !== this.summaryVersion || this.summaries.size > 1000) {
      this.summaries.clear();
      this.summaryVersion = version;
    }
    let value = this.summaries.get(key) as T | undefined;
    if (value === undefined) {
      value = compute();
      this.summaries.set(key, value);
    }
    return structuredClone(value);
  }

  async getState<T = unknown>(key: string): Promise<T | null> {
    const value = this.statements.pluck('SELECT value FROM kv WHERE key = ?').get(key) as string | undefined;
    return value === undefined ? null : (JSON.parse(value) as T);
  }

  async setState(key: string, value: unknown): Promise<void> {
    this.statements
      .plain(
        'INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      )
      .run(key, JSON.stringify(value ?? null), Date.now());
  }

  async deleteState(key: string): Promise<void> {
    this.statements.plain('DELETE FROM kv WHERE key = ?').run(key);
  }

  async eventsAfter(seq: number, limit: number): Promise<SequencedEvent[]> {
    assertPositiveInteger(limit, 'limit');
    const rows = this.statements.raw(EVENTS_AFTER_SQL).all(seq, limit) as [number, ...EventRow][];
    return rows.map(([rowSeq, ...row]) => ({ seq: rowSeq, event: rowToEvent(row as EventRow) }));
  }

  async latestSeq(): Promise<number> {
    return (this.statements.pluck('SELECT coalesce(max(seq), 0) FROM events').get() as number) ?? 0;
  }

  async saveFile(key: string, bytes: Buffer, expiresAt: number, now: number): Promise<void> {
    this.statements.plain('DELETE FROM report_files WHERE expires_at <= ?').run(now);
    this.statements
      .plain(
        'INSERT INTO report_files (key, bytes, expires_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes, expires_at = excluded.expires_at',
      )
      .run(key, bytes, expiresAt);
  }

  async readFile(key: string, now: number): Promise<Buffer | null> {
    const bytes = this.statements
      .pluck('SELECT bytes FROM report_files WHERE key = ? AND expires_at > ?')
      .get(key, now) as Buffer | undefined;
    return bytes ?? null;
  }

  /** One process per database file: names held in this process are all there is to check. */
  runExclusive<T>(name: string, work: () => Promise<T>, options?: ExclusiveOptions): Promise<ExclusiveOutcome<T>> {
    return this.exclusive.run(name, work, options);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** A store on a database file path or `:memory:`. */
export function openSqliteStore(path: string): SqliteEventStore {
  return new SqliteEventStore(openSqliteDatabase(path));
}
