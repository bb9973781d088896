import type { AuditEvent, EntityRef, EventSource } from '../domain/audit-event.js';
import type { EventFilter } from '../domain/event-filter.js';
import type { AlertOutbox, SequencedEvent } from './alert-outbox.js';
import type { EventChain } from './event-chain.js';
import type { ExclusiveOptions, ExclusiveOutcome } from './exclusive.js';
import type { QuarantinedRecord, QuarantineSummary } from './quarantine.js';

export type AppendOutcome = 'inserted' | 'duplicate';

export interface AppendResult {
  inserted: number;
  duplicate: number;
  /** One outcome per input event, in input order. */
  outcomes: AppendOutcome[];
}

export interface SearchPage {
  events: AuditEvent[];
  /** Opaque keyset cursor for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** A page of a search with the capped count of all its matches (see EventStore.searchCounted). */
export interface CountedPage {
  page: SearchPage;
  count: number;
}

export interface SearchOptions {
  limit: number;
  cursor?: string | null;
}

export interface SourceFreshness {
  source: EventSource;
  events: number;
  /** Newest `auditTimestamp` from this source (ISO), null when none. */
  newestEvent: string | null;
  /** When this source last stored an event (ISO). */
  lastStoredAt: string | null;
}

export interface StoreStats {
  events: number;
  oldestEvent: string | null;
  newestEvent: string | null;
  bySource: SourceFreshness[];
  /** Size of the store on disk in bytes, when the backend can tell. */
  sizeBytes: number | null;
}

export interface KnownActor {
  id: string;
  /** Latest displayName of the user entity with this key, when the store has seen one. */
  name: string | null;
}

/** Distinct values present for a tenant, for pick-lists in the filter modal / dialog. */
export interface StoreFacets {
  services: string[];
  entityTypes: string[];
  regions: string[];
  accessMethods: string[];
}

/**
 * Where audit events live. One interface, two implementations (SQLite, PostgreSQL), one contract
 * test suite (test/store/contract.ts). Every read is scoped by `customerId`.
 */
export interface EventStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Idempotent by (customerId, id) and by content fingerprint; all-or-nothing per call. */
  append(events: readonly AuditEvent[]): Promise<AppendResult>;
  /**
   * How many appends a bulk writer (import) gains from keeping in flight at once: 1 where writes take
   * turns anyway (SQLite's single writer), more where the backend stores calls side by side.
   */
  readonly parallelAppends: number;
  /** Newest first (auditTimestamp, then id, descending), keyset-paginated. */
  search(filter: EventFilter, options: SearchOptions): Promise<SearchPage>;
  /**
   * Matches, counted up to `limit` when given (the result is then min(actual, limit)): a header
   * saying "1,000+" costs a bounded index walk, an exact count of a broad query does not.
   */
  count(filter: EventFilter, options?: { limit?: number }): Promise<number>;
  /**
   * `search` and `count(filter, { limit: countLimit })` together, as one read where the backend can
   * share work between them (optional: callers fall back to the two calls).
   */
  searchCounted?(filter: EventFilter, options: SearchOptions & { countLimit: number }): Promise<CountedPage>;
  get(customerId: string, id: string): Promise<AuditEvent | null>;
  /** The latest event of the same entity strictly before `before` (an event of that entity). */
  previousState(entity: EntityRef, before: Pick<AuditEvent, 'id' | 'auditTimestamp'>): Promise<AuditEvent | null>;
  /** Every match, newest first, fetched in pages so memory stays flat. */
  stream(filter: EventFilter, options?: { batchSize?: number }): AsyncIterable<AuditEvent>;
  /** Deletes events older than the instant (epoch ms); returns how many. All tenants when customerId is omitted. */
  prune(olderThan: number, customerId?: string): Promise<number>;
  stats(customerId: string): Promise<StoreStats>;
  actors(customerId: string): Promise<KnownActor[]>;
  facets(customerId: string): Promise<StoreFacets>;
  /** Keeps records a source delivered but validation refused; returns how many were new (see quarantine.ts). */
  quarantine(records: readonly QuarantinedRecord[]): Promise<number>;
  /** How many records of the tenant are quarantined, and the newest `limit` of them. */
  quarantined(customerId: string, limit: number): Promise<QuarantineSummary>;
  /** Small JSON key/value state: sync watermarks, conversation references, … */
  getState<T = unknown>(key: string): Promise<T | null>;
  setState(key: string, value: unknown): Promise<void>;
  deleteState(key: string): Promise<void>;
  /**
   * Alerts: events of all tenants stored after `seq`, in storage order (what a reader sees is always
   * a prefix: no event shows up later with a lower seq); the newest seq (0 when empty); the durable
   * alert outbox.
   */
  eventsAfter(seq: number, limit: number): Promise<SequencedEvent[]>;
  latestSeq(): Promise<number>;
  readonly alertOutbox: AlertOutbox;
  /** Each tenant's tamper-evident chain, written by append (src/domain/chain-hash.ts). */
  readonly chain: EventChain;
  /**
   * Runs `work` unless another runner — in this process or, on PostgreSQL, in any instance on the
   * same database — is running work of the same name: the alert matcher, each 8x8 sync target.
   */
  runExclusive<T>(name: string, work: () => Promise<T>, options?: ExclusiveOptions): Promise<ExclusiveOutcome<T>>;
  /**
   * A report file kept in the store until `expiresAt` (epoch ms; `now` on the same clock), so whichever instance a download
   * or an upload consent reaches can serve it; expired ones are dropped as new ones are saved.
   */
  saveFile(key: string, bytes: Buffer, expiresAt: number, now: number): Promise<void>;
  /** The bytes saved under `key`, or null when none (or expired at `now`). */
  readFile(key: string, now: number): Promise<Buffer | null>;
  close(): Promise<void>;
}
