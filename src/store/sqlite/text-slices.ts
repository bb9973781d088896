import type { TimeRange } from '../../domain/event-filter.js';
import { DAY_MS } from '../../domain/time-range.js';
import type { StatementCache } from './statements.js';

/*
 * A common word ("sales") matches tens of thousands of events at a million; a page wants the newest
 * ten. FTS5 hands back matches by rowid (= seq, storage order), not by time, so a search used to
 * build the whole match set before walking the time index. `seq_days` records, per tenant and UTC
 * day, the lowest and highest seq stored for that day: a search walks the window a few days at a
 * time, newest first, and asks FTS only for rowids within that slice's seq range. Events are mostly
 * stored in time order (sync, ingest, reports), so a day's range is tight and a page costs about one
 * day of matches; when they are not, a range is merely wider, never wrong.
 */

/** The UTC day of an instant (floor, also before 1970). */
export function dayOf(ts: number): number {
  return Math.floor(ts / DAY_MS);
}

export interface SeqDay {
  day: number;
  minSeq: number;
  maxSeq: number;
}

/** One step of the walk: a time range (newest first, together covering the window) and its seq range. */
export interface TextSlice {
  range: TimeRange;
  minSeq: number;
  maxSeq: number;
}

/**
 * Splits a window into slices of 1, 2, 4, … stored days, newest first; days without events need no
 * slice of their own. `days` are the tenant's seq_days rows within the window, newest first.
 */
export function textSlices(window: TimeRange, days: readonly SeqDay[]): TextSlice[] {
  const slices: TextSlice[] = [];
  let end = window.end;
  let size = 1;
  for (let i = 0; i < days.length; i += size, size *= 2) {
    const group = days.slice(i, i + size);
    const oldest = group[group.length - 1];
    if (!oldest) break;
    const isLast = i + size >= days.length;
    const start = isLast ? window.start : Math.max(window.start, oldest.day * DAY_MS);
    if (start < end) {
      slices.push({
        range: { start, end },
        minSeq: Math.min(...group.map((d) => d.minSeq)),
        maxSeq: Math.max(...group.map((d) => d.maxSeq)),
      });
    }
    end = start;
  }
  return slices;
}

/** The seq range of each (tenant, day) an append touched, for one upsert per pair. */
export class SeqDayRanges implements Iterable<[string, number, number, number]> {
  private readonly ranges = new Map<string, [string, number, number, number]>();

  add(customerId: string, ts: number, seq: number): void {
    const day = dayOf(ts);
    const key = `${customerId}\u001f${day}`;
    const known = this.ranges.get(key);
    if (!known) this.ranges.set(key, [customerId, day, seq, seq]);
    else {
      known[2] = Math.min(known[2], seq);
      known[3] = Math.max(known[3], seq);
    }
  }

  [Symbol.iterator](): Iterator<[string, number, number, number]> {
    return this.ranges.values();
  }
}

export const UPSERT_SEQ_DAY_SQL =
  'INSERT INTO seq_days (customer_id, day, min_seq, max_seq) VALUES (?, ?, ?, ?) ' +
  'ON CONFLICT (customer_id, day) DO UPDATE SET min_seq = min(min_seq, excluded.min_seq), max_seq = max(max_seq, excluded.max_seq)';

/**
 * After a prune: the days before the cutoff that no event is left in (not merely every day before
 * it: another process may have stored an old event since). The day the cutoff falls in keeps its
 * range, now merely wider than needed.
 */
export function forgetEmptySeqDays(statements: StatementCache, olderThan: number, customerId?: string): void {
  const tenant = customerId === undefined ? '' : ' AND customer_id = ?';
  statements
    .plain(
      `DELETE FROM seq_days WHERE day < ?${tenant} AND NOT EXISTS (SELECT 1 FROM events e WHERE ` +
        'e.customer_id = seq_days.customer_id AND e.ts >= seq_days.day * 86400000 AND e.ts < (seq_days.day + 1) * 86400000)',
    )
    .run(...(customerId === undefined ? [dayOf(olderThan)] : [dayOf(olderThan), customerId]));
}

export const SEQ_DAYS_SQL =
  'SELECT day, min_seq, max_seq FROM seq_days WHERE customer_id = ? AND day >= ? AND day <= ? ORDER BY day DESC';

/**
 * A one-word term as the exact words it stands for: `sales` → `"sales" OR "salesforce"`, from the
 * FTS vocabulary. FTS5 answers a prefix query (`"sales"*`) by merging every matching word's whole
 * list first, whatever rowid range is asked for; an OR of exact words is read lazily, range first.
 * Only plain ASCII letters and digits are expanded (the vocabulary's byte order is their order);
 * anything else stays a prefix phrase. Null when no stored word has the prefix.
 */
export const MAX_EXPANDED_WORDS = 64;

export function expandWord(word: string, vocabulary: (from: string, to: string) => string[]): string | null {
  if (!/^[a-z0-9]+$/.test(word)) return `"${word}"*`;
  const last = word.charCodeAt(word.length - 1);
  const words = vocabulary(word, word.slice(0, -1) + String.fromCharCode(last + 1));
  if (words.length === 0) return null;
  if (words.length > MAX_EXPANDED_WORDS) return `"${word}"*`;
  const phrases = words.map((stored) => `"${stored}"`);
  return phrases.length === 1 ? (phrases[0] ?? null) : `(${phrases.join(' OR ')})`;
}
