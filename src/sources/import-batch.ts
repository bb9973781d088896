import type { AuditEvent } from '../domain/audit-event.js';
import { AuditbotError } from '../errors.js';
import type { EventStore } from '../store/event-store.js';

export type ImportFormat = 'csv' | 'ndjson' | 'json';

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
  accepted: number;
  duplicate: number;
  rejected: number;
}

export interface RejectedRow {
  /** 1-based physical line of the file (the CSV header is line 1); for a JSON file, the item number. */
  line: number;
  reason: string;
}

export interface ImportSummary {
  format: ImportFormat;
  /** Data rows (or items) read, good and bad; not the header, not blank lines. */
  rows: number;
  /** Newly stored events. */
  accepted: number;
  /** Events the store already had (same id or same content). */
  duplicate: number;
  rejected: RejectedRow[];
  durationMs: number;
}

/**
 * The state of one import: good events wait in a batch until `batchSize` are ready, then go to the
 * store in one all-or-nothing append; every row is counted as accepted, duplicate or rejected. Up to
 * the store's `parallelAppends` batches are stored at once while the next one is read.
 */
export class ImportRun {
  rows = 0;
  bytesRead = 0;
  private accepted = 0;
  private duplicate = 0;
  private readonly rejected: RejectedRow[] = [];
  private pending: AuditEvent[] = [];
  /** Appends under way, oldest first, with what could make one of their events a repeat. */
  private readonly storing: { stored: Promise<void>; keys: RepeatKeys }[] = [];
  private readonly startedAt = Date.now();

  constructor(
    private readonly options: {
      store: EventStore;
      batchSize: number;
      totalBytes: number;
      onProgress?: ((progress: ImportProgress) => void) | undefined;
      /** Checks every row and stores nothing; the first bad row throws (`import --strict`'s first pass). */
      checkOnly?: { name: string } | undefined;
    },
  ) {}

  readonly countBytes = (bytes: number): void => {
    this.bytesRead += bytes;
  };

  async accept(event: AuditEvent): Promise<void> {
    if (this.options.checkOnly) return;
    this.pending.push(event);
    if (this.pending.length >= this.options.batchSize) await this.flush();
  }

  reject(line: number, reason: string): void {
    if (this.options.checkOnly) {
      throw new AuditbotError(
        'import_failed',
        `${this.options.checkOnly.name} line ${line}: ${reason} — nothing was imported (--strict refuses the whole file)`,
        { hint: 'Fix the line and import the file again, or import without --strict to keep the good rows.' },
      );
    }
    this.rejected.push({ line, reason });
    if (this.rejected.length % this.options.batchSize === 0) this.reportProgress();
  }

  /**
   * Sends the waiting batch to the store (progress is reported as it is stored, or now when there is
   * none); returns once fewer than `parallelAppends` appends are under way.
   */
  async flush(): Promise<void> {
    if (this.pending.length === 0) {
      this.reportProgress();
      return;
    }
    const batch = this.pending;
    this.pending = [];
    const parallel = Math.max(1, this.options.store.parallelAppends);
    const keys = parallel > 1 ? new RepeatKeys(batch) : RepeatKeys.none;
    // A batch repeating an event of one still under way waits for it: the first occurrence in the
    // file must be the one stored, as when batches are stored one after the other.
    if (this.storing.some((other) => other.keys.overlaps(keys))) await this.settle(0);
    const stored = this.options.store.append(batch).then((result) => {
      this.accepted += result.inserted;
      this.duplicate += result.duplicate;
      this.reportProgress();
    });
    // Awaited in order below; marked handled so a failure is reported there, once.
    stored.catch(() => undefined);
    this.storing.push({ stored, keys });
    await this.settle(parallel - 1);
  }

  /**
   * Waits until at most `left` appends are under way. A failed append fails the import, but only
   * once every other append has settled: nothing is still being written when the error is reported.
   */
  private async settle(left: number): Promise<void> {
    while (this.storing.length > left) {
      const oldest = this.storing.shift() as { stored: Promise<void> };
      try {
        await oldest.stored;
      } catch (error) {
        await Promise.allSettled(this.storing.splice(0).map((other) => other.stored));
        throw error;
      }
    }
  }

  /** After the input failed: lets the appends under way end (their outcome no longer matters). */
  async abandon(): Promise<void> {
    await Promise.allSettled(this.storing.splice(0).map((other) => other.stored));
  }

  async finish(format: ImportFormat): Promise<ImportSummary> {
    await this.flush();
    await this.settle(0);
    return {
      format,
      rows: this.rows,
      accepted: this.accepted,
      duplicate: this.duplicate,
      rejected: [...this.rejected].sort((a, b) => a.line - b.line),
      durationMs: Date.now() - this.startedAt,
    };
  }

  private reportProgress(): void {
    this.options.onProgress?.({
      bytesRead: this.bytesRead,
      totalBytes: this.options.totalBytes,
      rows: this.rows,
      accepted: this.accepted,
      duplicate: this.duplicate,
      rejected: this.rejected.length,
    });
  }
}

/**
 * What could make an event of a batch a repeat of another's: its id, or its content, which covers
 * its instant and entity. A cheap superset of the store's keys (the tenant is left out), so an overlap
 * is never missed and a false one only costs a wait. Numbers and the events' own strings as keys,
 * no joined strings to build and hash.
 */
class RepeatKeys {
  private readonly ids = new Set<string>();
  /** Instant → the entity key seen at it, or every one when several were. */
  private readonly entitiesAt = new Map<number, string | Set<string>>();

  constructor(events: readonly AuditEvent[]) {
    for (const event of events) {
      this.ids.add(event.id);
      const at = Date.parse(event.auditTimestamp);
      const seen = this.entitiesAt.get(at);
      if (seen === undefined) this.entitiesAt.set(at, event.entityKey);
      else if (typeof seen !== 'string') seen.add(event.entityKey);
      else if (seen !== event.entityKey) this.entitiesAt.set(at, new Set([seen, event.entityKey]));
    }
  }

  static readonly none = new RepeatKeys([]);

  overlaps(other: RepeatKeys): boolean {
    const [small, large] = this.ids.size <= other.ids.size ? [this, other] : [other, this];
    for (const id of small.ids) if (large.ids.has(id)) return true;
    for (const [at, seen] of small.entitiesAt) {
      const there = large.entitiesAt.get(at);
      if (there === undefined) continue;
      for (const entity of typeof seen === 'string' ? [seen] : seen) {
        if (typeof there === 'string' ? there === entity : there.has(entity)) return true;
      }
    }
    return false;
  }
}
