import type { AuditEvent } from '../domain/audit-event.js';

/** One stored event with its storage position (monotonic `seq`): what the alert matcher reads. */
export interface SequencedEvent {
  seq: number;
  event: AuditEvent;
}

export type OutboxStatus = 'pending' | 'sent' | 'suppressed' | 'failed';

/** What the matcher writes: one alert of one rule about one event for one destination. */
export interface OutboxEntry {
  customerId: string;
  ruleId: string;
  eventId: string;
  /** `slack:<channel>` or `teams:<conversationKey>`. */
  destination: string;
  /** `each` or `digest`: how the rule wants to be told. */
  mode: 'each' | 'digest';
}

export interface OutboxItem extends OutboxEntry {
  id: number;
  status: OutboxStatus;
  attempts: number;
  /** Epoch ms (wall clock) the entry was written. */
  enqueuedAt: number;
  nextAttemptAt: number;
  messageId: string | null;
}

export interface ClaimOptions {
  /** Who delivers: one id per running process. */
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
}

/**
 * The durable alert outbox (ARCHITECTURE §7): unique per rule × event × destination, so matching an
 * event twice (after a crash, before the cursor moved) enqueues it once. Times are wall-clock epoch ms.
 */
export interface AlertOutbox {
  /** Inserts what is new; returns how many were. */
  enqueue(entries: readonly OutboxEntry[], now: number): Promise<number>;
  /** Destinations with pending entries due at `now`. */
  dueDestinations(now: number): Promise<string[]>;
  /** Pending entries of one destination, oldest first (for looking; delivery claims). */
  pending(destination: string, limit: number): Promise<OutboxItem[]>;
  /**
   * The destination's pending entries due at `now`, oldest first, leased to `owner` for `leaseMs`;
   * empty while its pacing slot is closed or another owner holds a live lease on it. Marking an
   * entry sent, retried or done ends its lease; a lease that runs out (its owner died) frees it.
   */
  claim(destination: string, options: ClaimOptions): Promise<OutboxItem[]>;
  /** Closes the destination's pacing slot until `until` (epoch ms), for every instance. */
  pace(destination: string, until: number): Promise<void>;
  /** Entries (any status) enqueued for a destination since `since`. */
  countSince(destination: string, since: number): Promise<number>;
  markSent(ids: readonly number[], messageId: string, now: number): Promise<void>;
  markRetry(ids: readonly number[], nextAttemptAt: number, error: string): Promise<void>;
  markDone(ids: readonly number[], status: 'suppressed' | 'failed', error: string | null): Promise<void>;
  /** When each rule last had an alert posted (epoch ms), for `alerts`. */
  lastSent(customerId: string): Promise<Map<string, number>>;
  /** Persisted "matched up to seq" cursor; null before the first run. */
  getCursor(): Promise<number | null>;
  setCursor(seq: number): Promise<void>;
}
