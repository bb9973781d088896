import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditQuery, TimePoint, WhenPreset } from '../../src/domain/audit-query.js';
import {
  DAY_MS,
  HOUR_MS,
  isoInstantMs,
  presetRange,
  queryRange,
  resolveTimePoint,
  splitWindows,
} from '../../src/domain/time-range.js';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-11-20T15:30:00.000Z');
const query = (q: Partial<AuditQuery>): AuditQuery => ({ filters: {}, text: [], ...q });

describe('presetRange', () => {
  it.each<[WhenPreset, number]>([
    ['today', at('2026-11-20T00:00:00.000Z')],
    ['24h', NOW - DAY_MS],
    ['7d', NOW - 7 * DAY_MS],
    ['30d', NOW - 30 * DAY_MS],
    ['90d', NOW - 90 * DAY_MS],
  ])('%s starts at the right instant and includes now', (preset, start) => {
    expect(presetRange(preset, NOW)).toEqual({ start, end: NOW + 1 });
  });

  it('today at exactly midnight is the one millisecond of midnight', () => {
    const midnight = at('2026-11-20T00:00:00.000Z');
    expect(presetRange('today', midnight)).toEqual({ start: midnight, end: midnight + 1 });
  });
});

describe('isoInstantMs and resolveTimePoint', () => {
  it.each<[string, number]>([
    ['2026-11-01', at('2026-11-01T00:00:00Z')],
    ['2026-11-01T09:30', at('2026-11-01T09:30:00Z')],
    ['2026-11-01T09:30Z', at('2026-11-01T09:30:00Z')],
    ['2026-11-01T09:30:15.250Z', at('2026-11-01T09:30:15.250Z')],
    ['2026-11-01T09:30+02:00', at('2026-11-01T07:30:00Z')],
    ['2026-11-01T09:30-0500', at('2026-11-01T14:30:00Z')],
    ['2024-02-29', at('2024-02-29T00:00:00Z')],
  ])('reads %s as UTC unless it says otherwise', (iso, ms) => {
    expect(isoInstantMs(iso)).toBe(ms);
  });

  it.each(['2026-02-29', '2026-11-31', '2026-11-01T24:30Z', '20261101', '2026-11', 'yesterday', '2026-11-01 09:30'])(
    'rejects %s',
    (iso) => {
      expect(isoInstantMs(iso)).toBeNaN();
    },
  );

  it.each<[TimePoint, 'start' | 'end', number]>([
    [{ kind: 'instant', iso: '2026-11-20' }, 'start', at('2026-11-20T00:00:00Z')],
    [{ kind: 'instant', iso: '2026-11-20' }, 'end', at('2026-11-21T00:00:00Z')],
    [{ kind: 'instant', iso: '2026-11-20T10:00Z' }, 'start', at('2026-11-20T10:00:00Z')],
    [{ kind: 'instant', iso: '2026-11-20T10:00Z' }, 'end', at('2026-11-20T10:00:00Z')],
    [{ kind: 'ago', amount: 30, unit: 'm' }, 'start', NOW - 30 * 60_000],
    [{ kind: 'ago', amount: 12, unit: 'h' }, 'end', NOW - 12 * HOUR_MS],
    [{ kind: 'ago', amount: 7, unit: 'd' }, 'start', NOW - 7 * DAY_MS],
    [{ kind: 'ago', amount: 2, unit: 'w' }, 'start', NOW - 14 * DAY_MS],
  ])('%j as the %s edge', (point, edge, ms) => {
    expect(resolveTimePoint(point, NOW, edge)).toBe(ms);
  });
});

describe('queryRange', () => {
  it('searches the whole retention window when no time qualifier is given', () => {
    expect(queryRange(query({}), NOW, 90)).toEqual({
      range: { start: NOW - 90 * DAY_MS, end: NOW + 1 },
      clamped: false,
    });
  });

  it('uses a preset as is when it fits the retention window', () => {
    expect(queryRange(query({ when: '7d' }), NOW, 90)).toEqual({ range: presetRange('7d', NOW), clamped: false });
    expect(queryRange(query({ when: '90d' }), NOW, 90)).toEqual({ range: presetRange('90d', NOW), clamped: false });
  });

  it('cuts a start before the retention window and says so', () => {
    expect(queryRange(query({ when: '90d' }), NOW, 30)).toEqual({
      range: { start: NOW - 30 * DAY_MS, end: NOW + 1 },
      clamped: true,
    });
    expect(queryRange(query({ since: { kind: 'instant', iso: '2020-01-01' } }), NOW, 90)).toMatchObject({
      clamped: true,
    });
  });

  it('includes the whole day of a date-only until', () => {
    const result = queryRange(
      query({ since: { kind: 'instant', iso: '2026-11-10' }, until: { kind: 'instant', iso: '2026-11-15' } }),
      NOW,
      90,
    );
    expect(result).toEqual({
      range: { start: at('2026-11-10T00:00:00Z'), end: at('2026-11-16T00:00:00Z') },
      clamped: false,
    });
  });

  it('ends at now, never in the future', () => {
    const result = queryRange(query({ until: { kind: 'instant', iso: '2027-01-01' } }), NOW, 90);
    expect(result).toEqual({ range: { start: NOW - 90 * DAY_MS, end: NOW + 1 }, clamped: false });
  });

  it('takes durations for both edges', () => {
    const result = queryRange(
      query({ since: { kind: 'ago', amount: 3, unit: 'd' }, until: { kind: 'ago', amount: 1, unit: 'd' } }),
      NOW,
      90,
    );
    expect(result).toEqual({ range: { start: NOW - 3 * DAY_MS, end: NOW - DAY_MS }, clamped: false });
  });

  it.each<[string, Partial<AuditQuery>, string]>([
    ['starts in the future', { since: { kind: 'instant', iso: '2026-12-01' } }, 'starts in the future'],
    ['ends before retention', { until: { kind: 'instant', iso: '2026-01-01' } }, '90-day retention window'],
    [
      'is reversed',
      { since: { kind: 'instant', iso: '2026-11-10' }, until: { kind: 'instant', iso: '2026-11-05' } },
      'put `since:` before `until:`',
    ],
    [
      'is empty',
      { since: { kind: 'ago', amount: 2, unit: 'h' }, until: { kind: 'ago', amount: 2, unit: 'h' } },
      'is empty',
    ],
    ['holds an invalid date', { since: { kind: 'instant', iso: '2026-02-30' } }, 'not valid'],
  ])('explains a range that %s', (_, q, fragment) => {
    const result = queryRange(query(q), NOW, 90);
    expect('error' in result && result.error).toContain(fragment);
  });
});

describe('splitWindows', () => {
  it('cuts 90 days into 31-day windows, oldest first, the last one shorter', () => {
    const range = { start: NOW - 90 * DAY_MS, end: NOW };
    expect(splitWindows(range, 31)).toEqual([
      { start: range.start, end: range.start + 31 * DAY_MS },
      { start: range.start + 31 * DAY_MS, end: range.start + 62 * DAY_MS },
      { start: range.start + 62 * DAY_MS, end: NOW },
    ]);
  });

  it('keeps a range that fits as one window, and an empty range as none', () => {
    expect(splitWindows({ start: 0, end: 30 * DAY_MS }, 30)).toEqual([{ start: 0, end: 30 * DAY_MS }]);
    expect(splitWindows({ start: 5, end: 5 }, 30)).toEqual([]);
    expect(splitWindows({ start: 9, end: 5 }, 30)).toEqual([]);
  });

  it('refuses a window size that would never finish', () => {
    expect(() => splitWindows({ start: 0, end: DAY_MS }, 0)).toThrow(RangeError);
    expect(() => splitWindows({ start: 0, end: DAY_MS }, -1)).toThrow(RangeError);
    expect(() => splitWindows({ start: 0, end: DAY_MS }, Number.NaN)).toThrow(RangeError);
  });

  it('covers the range exactly with contiguous windows within the limit', () => {
    const rangeArb = fc
      .tuple(fc.integer({ min: 0, max: 4_000_000_000_000 }), fc.integer({ min: 1, max: 400 * DAY_MS }))
      .map(([start, span]) => ({ start, end: start + span }));
    fc.assert(
      fc.property(rangeArb, fc.integer({ min: 1, max: 45 }), (range, maxDays) => {
        const windows = splitWindows(range, maxDays);
        const maxMs = maxDays * DAY_MS;
        expect(windows.length).toBe(Math.ceil((range.end - range.start) / maxMs));
        expect(windows[0]?.start).toBe(range.start);
        expect(windows.at(-1)?.end).toBe(range.end);
        windows.forEach((w, i) => {
          expect(w.end).toBeGreaterThan(w.start);
          expect(w.end - w.start).toBeLessThanOrEqual(maxMs);
          if (i > 0) expect(w.start).toBe(windows[i - 1]?.end);
        });
      }),
      { numRuns: 500 },
    );
  });
});
