import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/time-range.js';
import { dayOf, expandWord, MAX_EXPANDED_WORDS, textSlices } from '../../src/store/sqlite/text-slices.js';

describe('textSlices', () => {
  it('covers the window exactly, newest first, without overlap, in groups of 1, 2, 4 … stored days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -400, max: 400 }),
        fc.integer({ min: 1, max: 120 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 119 }), { maxLength: 120 }),
        fc.integer({ min: 0, max: DAY_MS - 1 }),
        (firstDay, span, offsets, skew) => {
          const window = { start: firstDay * DAY_MS + skew, end: (firstDay + span) * DAY_MS };
          const days = offsets
            .map((o) => firstDay + (o % span))
            .filter((day, i, all) => all.indexOf(day) === i && day * DAY_MS + DAY_MS > window.start)
            .sort((a, b) => b - a)
            .map((day) => ({ day, minSeq: day * 10, maxSeq: day * 10 + 5 }));
          const slices = textSlices(window, days);
          if (days.length === 0) {
            expect(slices).toEqual([]);
            return;
          }
          expect(slices[0]?.range.end).toBe(window.end);
          expect(slices.at(-1)?.range.start).toBe(window.start);
          for (let i = 1; i < slices.length; i++) expect(slices[i]?.range.end).toBe(slices[i - 1]?.range.start);
          // Every stored day's events fall in a slice whose seq range holds that day's range.
          for (const d of days) {
            const at = Math.max(window.start, d.day * DAY_MS);
            const slice = slices.find((s) => s.range.start <= at && at < s.range.end);
            expect(slice && slice.minSeq <= d.minSeq && slice.maxSeq >= d.maxSeq).toBe(true);
          }
          expect(slices.length).toBeLessThanOrEqual(Math.ceil(Math.log2(days.length + 1)));
        },
      ),
    );
  });

  it('floors days before 1970 too', () => {
    expect(dayOf(-1)).toBe(-1);
    expect(dayOf(0)).toBe(0);
    expect(dayOf(DAY_MS - 1)).toBe(0);
  });
});

describe('expandWord', () => {
  const vocabulary = ['ring', 'ringgroup', 'ringgroups', 'sales', 'salesforce'];
  const lookup = (from: string, to: string) => vocabulary.filter((w) => w >= from && w < to);

  it('spells a plain prefix out as the stored words it begins', () => {
    expect(expandWord('ring', lookup)).toBe('("ring" OR "ringgroup" OR "ringgroups")');
    expect(expandWord('salesf', lookup)).toBe('"salesforce"');
    expect(expandWord('ringz', lookup)).toBeNull();
  });

  it('keeps a prefix phrase for a word beyond ASCII, or for too many words', () => {
    expect(expandWord('zürich', lookup)).toBe('"zürich"*');
    const many = (from: string) => Array.from({ length: MAX_EXPANDED_WORDS + 1 }, (_, i) => `${from}${i}`);
    expect(expandWord('a', many)).toBe('"a"*');
  });
});
