import type Database from 'better-sqlite3';
import type { AuditEvent, EntityRef } from '../../domain/audit-event.js';
import { entityTypeKey } from '../../domain/audit-event.js';
import type { EventFilter } from '../../domain/event-filter.js';
import type { AlertOutbox, SequencedEvent } from '../alert-outbox.js';
import { encodeCursor } from '../cursor.js';
import type { EventChain } from '../event-chain.js';
import type {
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
import type { QuarantinedRecord, QuarantineSummary } from '../quarantine.js';
import { createSqliteAlertOutbox } from './alert-outbox.js';
import { createSqliteChain, pruneChain } from './chain.js';
import { createEventWriter, type EventWriter } from './event-writer.js';
import { SqliteFilterReads, type TextRun } from './filter-reads.js';
import { readState, writeState } from './kv.js';
import { OPTIMIZE_EVERY, openSqliteDatabase, refreshPlannerStatistics } from './open.js';
import { readQuarantine, writeQuarantine } from './quarantine.js';
import { EVENT_COLUMNS, type EventRow, eventToInsertParams, rowToEvent } from './rows.js';
import { StatementCache } from './statements.js';
import { tenantActors, tenantFacets, tenantStats } from './tenant-summary.js';
import { rebuildTenantValues } from './tenant-values.js';
import { forgetEmptySeqDays } from './text-slices.js';

/** Rows deleted per prune transaction: short write locks, so ingest is never starved by a big prune. */
const PRUNE_CHUNK = 5000;

const EVENTS_AFTER_SQL = `SELECT seq, ${EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`;
const GET_SQL = `SELECT ${EVENT_COLUMNS} FROM events WHERE customer_id = ? AND id = ?`;
// A walk down events_by_entity from `before`; `ts <= ?` bounds the index range (see buildWhere).
const PREVIOUS_STATE_SQL =
  `SELECT ${EVENT_COLUMNS} FROM events WHERE customer_id = ? AND entity_key = ? AND entity_type_key = ? ` +
  'AND service = ? AND ts <= ? AND (ts, id) < (?, ?) ORDER BY ts DESC, id DESC LIMIT 1';

export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite' as const;
  /** One writer: appends take turns on the connection. */
  readonly parallelAppends = 1;
  private readonly statements: StatementCache;
  private readonly writer: EventWriter;
  private insertedSinceOptimize = 0;
  private readonly reads: SqliteFilterReads;
  /** Bumped by our own writes; PRAGMA data_version covers other connections' (another process). */
  private ownWrites = 0;
  private summaryVersion = '';
  private readonly summaries = new Map<string, unknown>();
  readonly alertOutbox: AlertOutbox;
  readonly chain: EventChain;
  private readonly exclusive = createExclusiveRunner();

  constructor(
    private readonly db: Database.Database,
    options: SqliteStoreOptions = {},
  ) {
    this.statements = new StatementCache(db);
    this.reads = new SqliteFilterReads(db, this.statements, options.queryDeadlineMs);
    this.alertOutbox = createSqliteAlertOutbox(db, this.statements);
    this.chain = createSqliteChain(this.statements);
    this.writer = createEventWriter(db, this.statements);
  }

  async append(events: readonly AuditEvent[]): Promise<AppendResult> {
    const storedAt = Date.now();
    const rows = events.map((event, index) => {
      const row = eventToInsertParams(event, index);
      row.push(storedAt);
      return row;
    });
    const outcomes =
      rows.length === 0
        ? []
        : this.writer.insert(
            rows,
            events.map((event) => event.details),
          );
    let inserted = 0;
    for (const outcome of outcomes) if (outcome === 'inserted') inserted += 1;
    if (inserted > 0) this.ownWrites += 1;
    this.insertedSinceOptimize += inserted;
    this.reads.noteInserted(inserted);
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
    return this.pageWith(filter, limit, cursor, this.reads.textRun(filter));
  }

  private pageWith(filter: EventFilter, limit: number, cursor: string | null, run: TextRun): SearchPage {
    assertPositiveInteger(limit, 'limit');
    return this.pageOf(this.reads.pageRows(filter, limit, cursor, run), limit);
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
    return this.reads.count(filter, options.limit, this.reads.textRun(filter));
  }

  async searchCounted(filter: EventFilter, options: SearchOptions & { countLimit: number }): Promise<CountedPage> {
    assertPositiveInteger(options.countLimit, 'countLimit');
    const cursor = options.cursor ?? null;
    // One deadline for the whole answer: the page and its count together.
    return this.reads.bounded(() => {
      const run = this.reads.textRun(filter);
      const page = this.pageWith(filter, options.limit, cursor, run);
      // A first page with no page after it holds every match: nothing left to count.
      if (cursor === null && page.nextCursor === null) {
        return { page, count: Math.min(page.events.length, options.countLimit) };
      }
      return { page, count: this.reads.count(filter, options.countLimit, run) };
    });
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
    this.writer.keepSeqsAbove();
    let deleted = 0;
    for (;;) {
      // The FTS delete trigger runs inside each statement's own transaction.
      const { changes } = chunk.run(params);
      deleted += changes;
      if (changes > 0) this.ownWrites += 1;
      if (changes < PRUNE_CHUNK) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Always: a prune that stopped between its deletes and this (a crash) is completed by the next.
    this.db.transaction(() => pruneChain(this.statements, olderThan, customerId))();
    if (deleted > 0) {
      rebuildTenantValues(this.db, customerId);
      forgetEmptySeqDays(this.statements, olderThan, customerId);
      this.reads.forgetPlans();
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

  async quarantine(records: readonly QuarantinedRecord[]): Promise<number> {
    return writeQuarantine(this.statements, (work) => this.db.transaction(work)(), records);
  }

  async quarantined(customerId: string, limit: number): Promise<QuarantineSummary> {
    return readQuarantine(this.statements, customerId, limit);
  }

  async getState<T = unknown>(key: string): Promise<T | null> {
    return readState<T>(this.statements, key);
  }

  async setState(key: string, value: unknown): Promise<void> {
    writeState(this.statements, key, value);
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
export interface SqliteStoreOptions {
  /** How long one search or count may run (default QUERY_DEADLINE_MS). */
  queryDeadlineMs?: number;
}

export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteEventStore {
  return new SqliteEventStore(openSqliteDatabase(path), options);
}
