import { parseISO } from 'date-fns';
import type { AuditQuery, TimePoint, WhenPreset } from './audit-query.js';
import type { TimeRange } from './event-filter.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const UNIT_MS: Record<Extract<TimePoint, { kind: 'ago' }>['unit'], number> = {
  m: MINUTE_MS,
  h: HOUR_MS,
  d: DAY_MS,
  w: 7 * DAY_MS,
};

const PRESET_SPAN_MS: Record<Exclude<WhenPreset, 'today'>, number> = {
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
  '90d': 90 * DAY_MS,
};

/** The shapes `since:`/`until:` accept: a calendar date, or a date and time with an optional zone. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function isIsoDate(iso: string): boolean {
  return ISO_DATE.test(iso);
}

/**
 * Epoch ms of an ISO date or date-time as `since:`/`until:` accept it, or NaN when it is not one
 * (wrong shape or an impossible date like 2026-02-30). No zone means UTC, never the server's zone.
 */
export function isoInstantMs(iso: string): number {
  if (ISO_DATE.test(iso)) return parseISO(`${iso}T00:00Z`).getTime();
  const match = ISO_DATE_TIME.exec(iso);
  if (!match) return Number.NaN;
  return parseISO(match[1] === undefined ? `${iso}Z` : iso).getTime();
}

/** Events at exactly `now` belong to every preset, hence the end at now + 1. */
export function presetRange(preset: WhenPreset, now: number): TimeRange {
  if (preset === 'today') return { start: now - (((now % DAY_MS) + DAY_MS) % DAY_MS), end: now + 1 };
  return { start: now - PRESET_SPAN_MS[preset], end: now + 1 };
}

/**
 * A date-only point covers its whole UTC day: its start edge is that midnight, its end edge the
 * next midnight, so `until:2026-11-20` includes the 20th. Durations count back from `now`.
 */
export function resolveTimePoint(point: TimePoint, now: number, edge: 'start' | 'end'): number {
  if (point.kind === 'ago') return now - point.amount * UNIT_MS[point.unit];
  const ms = isoInstantMs(point.iso);
  return edge === 'end' && isIsoDate(point.iso) ? ms + DAY_MS : ms;
}

export type QueryRangeResult = { range: TimeRange; clamped: boolean } | { error: string };

/**
 * The window a query searches: its preset or since/until, else the whole retention window. The
 * start is cut to the retention window (`clamped` says so, so a reply can tell the user); the end
 * never lies past now.
 */
export function queryRange(query: AuditQuery, now: number, retentionDays: number): QueryRangeResult {
  const retentionStart = now - retentionDays * DAY_MS;
  const latest = now + 1;
  const requested = requestedRange(query, now, retentionStart, latest);
  if (!Number.isFinite(requested.start) || !Number.isFinite(requested.end)) {
    return {
      error: 'The time range contains a date that is not valid; use dates like 2026-11-01 or 2026-11-01T09:30Z.',
    };
  }
  const start = Math.max(requested.start, retentionStart);
  const end = Math.min(requested.end, latest);
  if (start < end) return { range: { start, end }, clamped: requested.start < retentionStart };
  return { error: emptyRangeMessage(requested, retentionStart, latest, retentionDays) };
}

function requestedRange(query: AuditQuery, now: number, retentionStart: number, latest: number): TimeRange {
  if (query.when) return presetRange(query.when, now);
  return {
    start: query.since ? resolveTimePoint(query.since, now, 'start') : retentionStart,
    end: query.until ? resolveTimePoint(query.until, now, 'end') : latest,
  };
}

function emptyRangeMessage(
  requested: TimeRange,
  retentionStart: number,
  latest: number,
  retentionDays: number,
): string {
  if (requested.start >= latest) {
    return `The time range starts in the future (${iso(requested.start)}); pick a \`since:\` before now.`;
  }
  if (requested.end <= retentionStart) {
    return `The time range ends before the ${retentionDays}-day retention window (${iso(retentionStart)}); older events are no longer kept.`;
  }
  return `The time range is empty: it starts at ${iso(requested.start)} and ends at ${iso(requested.end)}; put \`since:\` before \`until:\`.`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Cuts a range into contiguous windows of at most `maxDays` each, oldest first, for sources that
 * cap one call (8x8 API ≤31 days, Admin Console ≤30 days). Only the last window may be shorter.
 */
export function splitWindows(range: TimeRange, maxDays: number): TimeRange[] {
  const maxMs = maxDays * DAY_MS;
  if (!(maxMs > 0) || !Number.isFinite(maxMs))
    throw new RangeError(`maxDays must be a positive number, got ${maxDays}`);
  const windows: TimeRange[] = [];
  for (let start = range.start; start < range.end; start += maxMs) {
    windows.push({ start, end: Math.min(start + maxMs, range.end) });
  }
  return windows;
}
