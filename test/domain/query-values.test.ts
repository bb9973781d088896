import { describe, expect, it } from 'vitest';
import { checkApplication, checkRegion, closestMatch, editDistance } from '../../src/domain/query-values.js';

describe('editDistance', () => {
  it.each<[string, string, number]>([
    ['', '', 0],
    ['who', '', 3],
    ['delet', 'delete', 1],
    ['usr', 'who', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestMatch', () => {
  const names = ['who', 'op', 'entity', 'impersonated', 'when'];

  it.each<[string, string | undefined]>([
    ['entit', 'entity'],
    ['imp', 'impersonated'],
    ['wen', 'when'],
    ['OP', 'op'],
    ['zzzz', undefined],
    ['w', undefined],
  ])('%s → %s', (typed, expected) => {
    expect(closestMatch(typed, names)).toBe(expected);
  });

  it('lets aliases stand for their target, and prefixes that agree on a target count once', () => {
    const aliases = { user: 'who', usr: 'who', actor: 'who' };
    expect(closestMatch('usre', names, aliases)).toBe('who');
    expect(closestMatch('us', names, aliases)).toBe('who');
  });
});

describe('value aliases', () => {
  it.each<[string, string]>([
    ['UC', 'platform'],
    ['Contact_Center', 'cc'],
    ['contact centre', 'cc'],
    ['vccss', 'cc'],
    ['PLATFORM', 'platform'],
  ])('app %s → %s', (typed, app) => {
    expect(checkApplication(typed)).toEqual({ ok: true, value: app });
  });

  it.each<[string, string]>([
    ['UK', 'uk-eu'],
    ['eu', 'uk-eu'],
    ['uk_eu', 'uk-eu'],
    ['Canada', 'ca'],
    ['APAC', 'apac'],
  ])('region %s → %s', (typed, region) => {
    expect(checkRegion(typed)).toEqual({ ok: true, value: region });
  });

  it('suggests through an alias (`app:contact` → `app:cc`)', () => {
    expect(checkApplication('contact')).toMatchObject({ ok: false, suggestion: 'app:cc' });
  });
});
