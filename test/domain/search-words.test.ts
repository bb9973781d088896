import { describe, expect, it } from 'vitest';
import { fieldWords, PUNCTUATION, termWords } from '../../src/domain/search-words.js';
import { generateDemoEvents } from '../../src/sources/demo/demo-generator.js';
import { referenceWords } from '../helpers/reference-words.js';

const reference = referenceWords;

/** Every character of PUNCTUATION's ranges. */
function punctuation(): string[] {
  const chars: string[] = [];
  for (const [, from, to] of PUNCTUATION.matchAll(/(.)(?:-(.))?/gsu)) {
    const first = (from as string).charCodeAt(0);
    const last = (to ?? from)?.charCodeAt(0) ?? first;
    for (let code = first; code <= last; code++) chars.push(String.fromCharCode(code));
  }
  return chars;
}

describe('search words', () => {
  it('treats as separators only characters that hold no letter or digit, even decomposed', () => {
    const chars = punctuation();
    expect(chars.length).toBeGreaterThan(130);
    const wrong = chars.filter((ch) => reference(ch).length > 0 || termWords(`ab${ch}cd`).join(' ') !== 'ab cd');
    expect(wrong.map((ch) => `U+${ch.charCodeAt(0).toString(16)}`)).toEqual([]);
  });

  it('finds the same words as the Unicode road through all of the text', () => {
    const texts = [
      'Sales – EMEA “night” queue…',
      'José Łukasz Ærø straße ﬁle ª º ² µ ½',
      '–\u0301x «a»b ´c ¨d İstanbul ΣΊΣΥΦΟΣ',
      'mixed café–bar ‘quoted’ and\u200bjoined\u2060word',
      '日本語 テキスト 🎉 emoji, tabs\tand\nnewlines',
    ];
    for (const event of generateDemoEvents({ customerId: 'c', count: 300, now: Date.UTC(2026, 10, 1), seed: 3 })) {
      texts.push(`${event.displayName} ${event.entityKey} ${JSON.stringify(event.details)}`);
    }
    for (const text of texts) expect(termWords(text)).toEqual(reference(text));
    expect(fieldWords(['Ring Group – Sales', null, 'Łódź', 'ℌilbert'])).toEqual([
      'ring group sales',
      '',
      'łodz',
      'hilbert',
    ]);
  });
});
